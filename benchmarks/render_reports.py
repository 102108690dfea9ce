"""How long each format takes to render, and how big it gets, for 10 000 findings.

    .venv/bin/python benchmarks/render_reports.py

Builds one dataset whose 10 000 rows each carry a wrong date, validates it, then renders every
format and prints its time and size. The HTML stays small because findings are grouped by rule
and column with samples; the JSON keeps every finding.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import yaml

from publisher import load_federation, validate_federation
from publisher.reports import FORMATS, build_document

ROOT = Path(__file__).resolve().parents[1]
ROWS = 10_000


def sample_repo(folder: Path) -> Path:
    shutil.copytree(ROOT / "schemas", folder / "schemas")
    shutil.copy(ROOT / "federation.yaml", folder / "federation.yaml")
    for slug in yaml.safe_load((ROOT / "federation.yaml").read_text("utf-8"))["communes"]:
        shutil.copytree(
            ROOT / "communes" / slug,
            folder / "communes" / slug,
            ignore=shutil.ignore_patterns("datasets"),
        )
    source = ROOT / "communes/begles/datasets/subventions-associations"
    target = folder / "communes/begles/datasets/subventions-associations"
    shutil.copytree(source, target)
    header, first, *_ = (target / "subventions-2025.csv").read_text("utf-8").splitlines()
    cells = first.split(";")
    rows = []
    for index in range(ROWS):
        cells[2] = f"{index % 28 + 1:02d}/01/2025"
        rows.append(";".join(cells))
    (target / "subventions-2025.csv").write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return folder


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        federation = load_federation(sample_repo(Path(folder)), ["begles"])
        started = time.perf_counter()
        validation = validate_federation(federation, federation.registry)
        elapsed = time.perf_counter() - started
        print(f"contrôle : {elapsed:6.2f} s, {len(validation.findings)} constats")
        started = time.perf_counter()
        document = build_document(validation)
        print(f"document : {time.perf_counter() - started:6.2f} s")
        for name, (render, _) in FORMATS.items():
            started = time.perf_counter()
            text = render(document)
            elapsed = time.perf_counter() - started
            print(f"{name:<9}: {elapsed:6.2f} s, {len(text.encode()) / 1024:8.0f} Kio")


if __name__ == "__main__":
    main()
