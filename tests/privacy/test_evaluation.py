"""The scanner's measured quality on the labelled set meets the targets of the issue."""

from __future__ import annotations

from privacy.evaluation import TARGETS, evaluate, labelled_cells


def test_labelled_set_is_large_enough_and_full_of_traps():
    cells = labelled_cells()
    assert cells.height >= 400
    assert cells.filter(cells["trap"] == "oui").height >= cells.height / 4


def test_recall_and_precision_targets():
    result = evaluate()
    scores = {score.family: score for score in result.scores}
    for family, target in TARGETS["recall"].items():
        assert scores[family.value].recall >= target, (family, result.missed)
    assert result.overall.precision >= TARGETS["precision"], result.flagged_traps
