"""How long `publisher serve` takes to answer an upload, by file size, and how accurate the
schema detection is on the shared corpus.

    .venv/bin/python benchmarks/serve_upload.py

Starts the web application on a free loopback port (uploads in a watched temporary folder),
posts generated subventions files (a decimal comma and a French date on every row, so each
row has findings and the corrected copy has work to do; then a clean one) and prints the time
until the result page is ready, with the process' peak memory. Then runs the detection over
every CSV of `../shared/corpus` whose intended schema is known, if that corpus is present.
"""

from __future__ import annotations

import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx

from publisher.schemas import SchemaRegistry
from publisher.web import WebSettings, create_app
from publisher.web.detect import detect_schema
from publisher.web.server import BackgroundServer

ROOT = Path(__file__).resolve().parents[1]
CASES = ((1, True), (10, True), (50, True), (10, False))
"""(size in megabytes, whether every row is faulty)."""


def sample(megabytes: int, faulty: bool = True) -> bytes:
    lines = ROOT / "communes/begles/datasets/subventions-associations/subventions-2025.csv"
    header, first, *_ = lines.read_text("utf-8").splitlines()
    cells = first.split(";")
    if faulty:
        cells[2] = "11/02/2025"
        cells[8] = "24500,50"
    row = (";".join(cells) + "\n").encode()
    return header.encode() + b"\n" + row * (megabytes * 1_000_000 // len(row))


def time_uploads() -> None:
    with tempfile.TemporaryDirectory() as uploads:
        app = create_app(WebSettings(ROOT, 60_000_000, upload_root=Path(uploads)))
        with (
            BackgroundServer(app) as server,
            httpx.Client(base_url=server.url, timeout=600) as http,
        ):
            for megabytes, faulty in CASES:
                data = sample(megabytes, faulty)
                token = re.search(r'name="csrf" value="([^"]+)"', http.get("/").text).group(1)
                started = time.perf_counter()
                answer = http.post(
                    "/controle",
                    data={"csrf": token, "schema": "subventions", "action": "controler"},
                    files={"fichier": ("subventions.csv", data, "text/csv")},
                )
                page = http.get(answer.headers["location"])
                elapsed = time.perf_counter() - started
                rows = data.count(b"\n") - 1
                left = len(list(Path(uploads).iterdir()))
                kind = "fautives" if faulty else "propres"
                print(
                    f"{megabytes:3d} Mo ({rows:7d} lignes {kind}) : {elapsed:6.2f} s jusqu'à "
                    f"la page ({page.status_code}), fichiers restés sur disque : {left}"
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"mémoire maximale du processus : {peak:.0f} Mo")


def detection_on_corpus() -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print("corpus partagé absent : détection non mesurée")
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from oracle import CORPUS_SCHEMAS

    registry = SchemaRegistry.load(ROOT / "schemas")
    found = wrong = meant = 0
    for path in sorted(corpus.rglob("*.csv")):
        relative = path.relative_to(corpus).as_posix()
        expected = next((n for p, n in CORPUS_SCHEMAS.items() if relative.startswith(p)), None)
        chosen = detect_schema(path, registry).chosen
        meant += expected is not None
        found += chosen is not None and chosen.name == expected
        wrong += chosen is not None and chosen.name != expected
    print(f"détection sur le corpus : {found} / {meant} trouvés, {wrong} proposition fausse")


if __name__ == "__main__":
    time_uploads()
    detection_on_corpus()
