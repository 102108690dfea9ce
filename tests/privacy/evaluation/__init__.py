"""Precision and recall of the privacy scanner on the labelled cells of `cells.csv`.

Each table of the set is rebuilt and scanned as a whole (row context matters); a cell counts
as found for a family when the scanner reports that family on its row and column, whatever
the grade (blocking or to review). Traps are cells that must not be found at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from publisher.privacy.detectors import Family
from publisher.privacy.scanner import ScanOptions, scan

CELLS = Path(__file__).with_name("cells.csv")
TARGETS = {
    "recall": {
        Family.NIR: 0.99,
        Family.IBAN: 0.99,
        Family.EMAIL: 0.99,
        Family.PHONE: 0.99,
        Family.NAME: 0.90,
    },
    "precision": 0.95,
}


@dataclass(frozen=True)
class Score:
    family: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


@dataclass(frozen=True)
class Evaluation:
    scores: list[Score]
    overall: Score
    cells: int
    traps: int
    flagged_traps: list[tuple[str, int, str, str]]
    missed: list[tuple[str, int, str, str]]


def labelled_cells() -> pl.DataFrame:
    return pl.read_csv(CELLS, separator=";", infer_schema=False).with_columns(
        pl.col("row").cast(pl.Int64), pl.col("expected").fill_null("")
    )


def evaluate() -> Evaluation:
    cells = labelled_cells()
    expected = {
        (table, row, column, family)
        for table, row, column, labels in cells.select(
            "table", "row", "column", "expected"
        ).iter_rows()
        for family in labels.split("|")
        if family
    }
    found = set()
    for (table,), rows in cells.group_by("table", maintain_order=True):
        frame = rows.pivot(on="column", index="row", values="value").sort("row")
        options = ScanOptions(own_domains=("mairie-begles.fr",), today=date(2026, 11, 23))
        numbers = frame.get_column("row")
        for hit in scan(frame.drop("row"), numbers, options):
            found |= {(table, row, hit.column, hit.family.value) for row in hit.rows}
    scores = [
        Score(
            family.value,
            len({c for c in found & expected if c[3] == family.value}),
            len({c for c in found - expected if c[3] == family.value}),
            len({c for c in expected - found if c[3] == family.value}),
        )
        for family in Family
    ]
    overall = Score(
        "toutes",
        sum(s.true_positives for s in scores),
        sum(s.false_positives for s in scores),
        sum(s.false_negatives for s in scores),
    )
    values = {
        (t, r, c): v for t, r, c, v in cells.select("table", "row", "column", "value").iter_rows()
    }
    traps = {
        (t, r, c)
        for t, r, c in cells.filter(pl.col("trap") == "oui")
        .select("table", "row", "column")
        .iter_rows()
    }
    return Evaluation(
        scores=scores,
        overall=overall,
        cells=cells.height,
        traps=len(traps),
        flagged_traps=sorted((t, r, c, f) for t, r, c, f in found if (t, r, c) in traps),
        missed=sorted((t, r, c, values[(t, r, c)]) for t, r, c, _ in expected - found),
    )


def markdown(evaluation: Evaluation) -> str:
    """The table kept in docs/privacy.md."""
    lines = [
        f"{evaluation.cells} cellules étiquetées, dont {evaluation.traps} pièges.",
        "",
        "| Famille | Attendues | Trouvées à tort | Manquées | Précision | Rappel |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for score in [*evaluation.scores, evaluation.overall]:
        expected = score.true_positives + score.false_negatives
        lines.append(
            f"| {score.family} | {expected} | {score.false_positives} | "
            f"{score.false_negatives} | {score.precision:.3f} | {score.recall:.3f} |"
        )
    return "\n".join(lines)
