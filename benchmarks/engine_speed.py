"""frictionless-py, our engine and a bare polars read of the same SCDL subventions files, side by
side in one run: seconds, rows per second, ratios, peak memory and agreement of findings.

    python benchmarks/engine_speed.py 10k 100k 1M [--seed 7] [--skip-frictionless-above 1M]

Files come from `generate_subventions.py` (generated on first use, in the cache folder). Each
measure runs in its own process, which reports its peak resident memory
(`getrusage(RUSAGE_SELF).ru_maxrss`, interpreter and imports included) and the seconds of the
work itself (imports excluded):

- polars: `pl.read_csv` of every column as text, the floor of any check;
- engine: `validation.check_file` with the shared schema, the path `publisher check` takes:
  reading, header matching, Table Schema, the French custom checks, the privacy scan and the
  other families, findings capped as by default (a second, untimed run without cap gives the
  findings the agreement compares);
- frictionless: `Resource.validate` with the schema's Table Schema part, no error limit.

Agreement compares the engine's cell findings (type, constraint, unique) with frictionless'
errors as (row, field, kind): identical and different counts.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

SCHEMA = "scdl/subventions@2.1.1"


def _measure(kind: str, path: Path, out: Path) -> None:
    """In the child process: do one kind of work on the file, write figures to `out`."""
    import polars as pl

    from oracle import EVERY_FINDING, frictionless_cells, our_cells
    from publisher.schemas import SchemaRegistry
    from publisher.validation import check_file

    schema = SchemaRegistry.load(HERE.parent / "schemas").resolve(SCHEMA)
    cells: list[tuple[int, str, str]] = []
    start = time.perf_counter()
    if kind == "polars":
        rows = pl.read_csv(path, separator=";", infer_schema=False).height
    elif kind == "engine":
        check_file(path, schema)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        every = check_file(path, schema, cap=EVERY_FINDING)  # untimed, for the agreement
        cells = sorted(our_cells(every.findings)[0])
        rows = sum(1 for _ in path.open("rb")) - 1
    else:
        found, _, _ = frictionless_cells(path.read_bytes(), schema.descriptor, ";")
        cells = sorted(found)
        rows = sum(1 for _ in path.open("rb")) - 1
    if kind != "engine":
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out.write_text(json.dumps({"seconds": seconds, "rows": rows, "peak": peak, "cells": cells}))


def measure(kind: str, path: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        subprocess.run(
            [sys.executable, __file__, "--measure", kind, str(path), str(out)], check=True
        )
        return json.loads(out.read_text())


def _rate(figures: dict) -> str:
    return f"{figures['rows'] / figures['seconds']:,.0f}".replace(",", " ")


def main() -> None:
    from generate_subventions import SIZES, default_folder, write

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", choices=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-frictionless-above", choices=list(SIZES), default="1M")
    arguments = parser.parse_args()
    limit = SIZES[arguments.skip_frictionless_above]
    print(
        "| lignes | fichier | polars (s · lignes/s · pic) | moteur (s · lignes/s · pic) "
        "| frictionless (s · lignes/s · pic) | moteur ÷ frictionless | moteur ÷ polars "
        "| pic ÷ fichier | constats identiques / différents |"
    )
    print("|---:|---:|---|---|---|---:|---:|---:|---|")
    for size in arguments.sizes:
        path = write(size, arguments.seed, default_folder())
        megabytes = path.stat().st_size / 2**20
        polars = measure("polars", path)
        engine = measure("engine", path)
        friction = measure("frictionless", path) if SIZES[size] <= limit else None

        def shown(figures: dict | None) -> str:
            if figures is None:
                return "non mesuré"
            peak = figures["peak"] / 2**20
            return f"{figures['seconds']:.2f} s · {_rate(figures)} · {peak:.0f} Mio"

        speedup = agreement = "—"
        if friction is not None:
            speedup = f"{friction['seconds'] / engine['seconds']:.1f}×"
            ours = {tuple(cell) for cell in engine["cells"]}
            theirs = {tuple(cell) for cell in friction["cells"]}
            agreement = f"{len(ours & theirs)} / {len(ours ^ theirs)}"
        print(
            f"| {engine['rows']:,} | {megabytes:.0f} Mio | {shown(polars)} | {shown(engine)} "
            f"| {shown(friction)} | {speedup} | {engine['seconds'] / polars['seconds']:.1f}× "
            f"| {engine['peak'] / path.stat().st_size:.2f} | {agreement} |".replace(",", " "),
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        _measure(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
