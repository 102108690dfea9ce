"""The check cache and the parallel run: a rerun re-checks only what changed, and the findings
are the same with or without cache, serially or in worker processes."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher import load_federation, validate_federation
from publisher.cache import CACHE_DIR, finding_from_json, finding_to_json
from publisher.cli import main
from publisher.validation import Validation

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 23)
ARBRES_SCHEMA = "schemas/NaturalSolutions/schema-arbre/0.3.1/schema.json"
DATASETS = sum(1 for _ in load_federation(REPO).datasets())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the example federation, free to edit."""
    for name in ("federation.yaml", "communes", "schemas"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def validate(root: Path, *, cache: bool = True, workers: int | None = 1) -> Validation:
    federation = load_federation(root)
    return validate_federation(
        federation,
        federation.registry,
        today=TODAY,
        cache_dir=root / CACHE_DIR if cache else None,
        workers=workers,
    )


def full(validation: Validation) -> list[dict]:
    """Every finding with its parameters (which `Finding.__eq__` ignores)."""
    return [finding_to_json(finding) for finding in validation.findings]


def rechecked(validation: Validation) -> tuple[int, int]:
    return validation.rechecked, validation.from_cache


def test_a_rerun_rechecks_nothing_and_finds_the_same(repo: Path) -> None:
    first = validate(repo)
    assert rechecked(first) == (DATASETS, 0)
    second = validate(repo)
    assert rechecked(second) == (0, DATASETS)
    assert second.findings == first.findings
    assert full(second) == full(first)
    assert second.delimiters == first.delimiters
    assert second.schemas == first.schemas
    assert any(f.location.row is not None for f in second.findings)  # file findings came back


def test_changing_a_data_file_rechecks_only_its_dataset(repo: Path) -> None:
    validate(repo)
    data = repo / "communes/talence/datasets/toilettes-publiques"
    csv = next(data.glob("*.csv"))
    csv.write_bytes(csv.read_bytes() + b"\n")
    assert rechecked(validate(repo)) == (1, DATASETS - 1)


def test_changing_a_descriptor_rechecks_only_its_dataset(repo: Path) -> None:
    validate(repo)
    descriptor = repo / "communes/merignac/datasets/parkings/datapackage.yaml"
    descriptor.write_text(descriptor.read_text("utf-8") + "\n# relu\n", "utf-8")
    assert rechecked(validate(repo)) == (1, DATASETS - 1)


def test_changing_a_schema_rechecks_the_datasets_that_use_it(repo: Path) -> None:
    validate(repo)
    schema = repo / ARBRES_SCHEMA
    old = hashlib.sha256(schema.read_bytes()).hexdigest()
    schema.write_bytes(schema.read_bytes() + b"\n")
    registry = repo / "schemas/registry.yaml"
    new = hashlib.sha256(schema.read_bytes()).hexdigest()
    registry.write_text(registry.read_text("utf-8").replace(old, new), "utf-8")
    users = [
        path
        for path in repo.glob("communes/*/datasets/*/datapackage.yaml")
        if "schema-arbre@0.3.1" in path.read_text("utf-8")
    ]
    assert len(users) == 3
    assert rechecked(validate(repo)) == (3, DATASETS - 3)


def test_a_corrupt_or_foreign_cache_is_rebuilt(repo: Path) -> None:
    reference = validate(repo, cache=False)
    validate(repo)
    entries = sorted((repo / CACHE_DIR).rglob("*.json"))
    assert len(entries) == DATASETS
    entries[0].write_text('{"format": 1, "key": "', "utf-8")  # cut short
    entries[1].write_bytes(b"\xff\xfe garbage")
    other = json.loads(entries[2].read_text("utf-8"))
    entries[2].write_text(json.dumps({**other, "format": 0}), "utf-8")  # another version
    findings = json.loads(entries[3].read_text("utf-8"))
    findings["findings"] = [{"code": "X"}]  # right key, unusable content
    entries[3].write_text(json.dumps(findings), "utf-8")
    again = validate(repo)
    assert rechecked(again) == (4, DATASETS - 4)
    assert full(again) == full(reference)
    assert rechecked(validate(repo)) == (0, DATASETS)  # rewritten whole


def test_same_findings_with_and_without_cache_serial_and_parallel(repo: Path) -> None:
    serial = validate(repo, cache=False, workers=1)
    parallel = validate(repo, cache=False, workers=2)
    validate(repo)
    cached = validate(repo)
    assert rechecked(cached) == (0, DATASETS)
    assert full(parallel) == full(serial)
    assert full(cached) == full(serial)
    assert parallel.delimiters == serial.delimiters == cached.delimiters


def test_findings_round_trip_through_json(repo: Path) -> None:
    findings = validate(repo, cache=False).findings
    assert {f.code[:4] for f in findings} >= {"SCHE", "FMT-", "PRIV", "PUB-", "FR-S"}
    for finding in findings:
        back = finding_from_json(json.loads(json.dumps(finding_to_json(finding))))
        assert back == finding
        assert back.params == finding.params
        assert type(back.params) is dict


def test_the_command_says_what_came_from_the_cache(repo: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["validate", str(repo)])
    assert "repris du cache" not in first.stderr
    data = repo / "communes/pessac/datasets/parkings"
    csv = next(data.glob("*.csv"))
    csv.write_bytes(csv.read_bytes() + b"\n")
    second = runner.invoke(main, ["validate", str(repo)])
    assert f"{DATASETS - 1} jeux inchangés repris du cache, 1 recontrôlé." in second.stderr
    assert "ligne 13 est vide" in second.stdout  # the blank line added is found
    forced = runner.invoke(main, ["validate", "--sans-cache", str(repo)])
    assert "repris du cache" not in forced.stderr
    assert forced.stdout == second.stdout
    assert forced.exit_code == second.exit_code == 1
