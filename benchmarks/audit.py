"""How long the legal audit takes on the sample federation, and on a large subsidies file.

    .venv/bin/python benchmarks/audit.py

First the five sample communes: validation (for reference), audit document, HTML and JSON pages
(federation and per commune), SCDL catalogues and DCAT-AP export, with their sizes. Then Bègles
alone with a subsidies file of 100 000 rows, to time the column checks of the audit (late
subsidies, attributing body's SIREN), done with polars on whole columns.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from publisher import load_federation, validate_federation
from publisher.audit import build_audit
from publisher.audit.render import render_audit_html, render_audit_json
from publisher.catalogue import catalogue_files

ROOT = Path(__file__).resolve().parents[1]
ROWS = 100_000


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label:<34} {time.perf_counter() - started:7.2f} s")
    return result


def audit_of(root: Path, communes: list[str]) -> None:
    federation = load_federation(root, communes)
    validation = timed("contrôle", lambda: validate_federation(federation, federation.registry))
    document = timed("document d'audit", lambda: build_audit(federation, validation))
    data = document.to_dict()
    html = timed("page HTML (fédération)", lambda: render_audit_html(data))
    text = timed("JSON (fédération)", lambda: render_audit_json(data))
    files = timed(
        "catalogues SCDL + DCAT-AP", lambda: catalogue_files(federation, validation, root)
    )
    print(f"  HTML {len(html) / 1024:.0f} Kio, JSON {len(text) / 1024:.0f} Kio, ", end="")
    print(", ".join(f"{path.name} {len(body) / 1024:.0f} Kio" for path, body in files[-2:]))


def main() -> None:
    print("Cinq communes d'exemple")
    audit_of(ROOT, [])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("federation.yaml", "schemas", "communes"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
        data = root / "communes/begles/datasets/subventions-associations/subventions-2025.csv"
        header, *rows = data.read_text("utf-8").splitlines()
        data.write_text("\n".join([header, *(rows[i % len(rows)] for i in range(ROWS))]) + "\n")
        print(f"\nBègles, subventions de {ROWS} lignes")
        audit_of(root, ["begles"])


if __name__ == "__main__":
    main()
