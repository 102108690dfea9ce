"""frictionless-py, our engine and a bare polars read of the same SCDL subventions files, side by
side in one run: seconds, rows per second, ratios, peak memory and agreement of findings.

    python benchmarks/engine_speed.py 10k 100k 1M [--seed 7] [--skip-frictionless-above 1M]
        [--repeat 3]

Files come from `generate_subventions.py` (generated on first use, in the cache folder). Each
measure runs in its own process, which reports its peak resident memory
(`getrusage(RUSAGE_SELF).ru_maxrss`, interpreter and imports included) and the seconds of the
work itself (imports excluded):

- polars: `pl.read_csv` of every column as text, the floor of any check;
- engine: `validation.check_file` with the shared schema, the path `publisher check` takes:
  reading, header matching, Table Schema, the French custom checks, the privacy scan and the
  other families, findings capped as by default (a second, untimed run without cap gives the
  findings the agreement compares);
- frictionless: `Resource.validate` with the schema's Table Schema part, no error limit;
  above `--skip-frictionless-above` (1M by default: 10M rows would take a quarter of an hour)
  neither frictionless nor the uncapped agreement run is done, only the engine's own figures.

polars and the engine run `--repeat` times, one after the other, and their median run is
shown (the peak is the highest of the runs): a shared machine's speed drifts within minutes.
frictionless runs once (a minute at 1M rows).

Agreement compares the engine's cell findings (type, constraint, unique) with frictionless'
errors as (row, field, kind): identical and different counts. A second table splits the
engine's seconds between reading and each check family (one more process per size).
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
    if kind == "families":
        out.write_text(json.dumps(_family_seconds(path, schema)))
        return
    start = time.perf_counter()
    if kind == "polars":
        rows = pl.read_csv(path, separator=";", infer_schema=False).height
    elif kind in ("engine", "engine-alone"):
        check_file(path, schema)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if kind == "engine":  # untimed, for the agreement with frictionless
            every = check_file(path, schema, cap=EVERY_FINDING)
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


def _family_seconds(path: Path, schema) -> dict[str, float]:
    """Seconds of reading and of each family (every batch, then its finish), as `check_file`
    runs them."""
    from dataclasses import replace

    from publisher.checks import ResourceContext, families
    from publisher.findings import Location
    from publisher.model import Resource
    from publisher.read import ReadResult, ResourceFile

    every = families()
    source = ResourceFile(path, "csv", None, Location(path=path.name))
    resource = Resource(path.stem, path, path.name, "csv", None, schema.ref, path.name, None)
    context = ResourceContext(
        None, None, resource, ReadResult(None, ()), schema, Location(), {path.stem: source}
    )
    seconds = dict.fromkeys(["lecture", *(family.name for family in every)], 0.0)
    batches = source.batches()
    while True:
        start = time.perf_counter()
        read = next(batches, None)
        seconds["lecture"] += time.perf_counter() - start
        if read is None:
            break
        context = replace(context, read=read, batch=context.batch + 1)
        for family in every:  # one after the other: each family's own cost
            start = time.perf_counter()
            prepared = {family.name: family.prepare_batch(context)} if family.prepares else {}
            list(family.check_resource(replace(context, prepared=prepared)))
            seconds[family.name] += time.perf_counter() - start
    for family in every:
        start = time.perf_counter()
        list(family.finish_resource(context))
        seconds[family.name] += time.perf_counter() - start
    return seconds


def measure(kind: str, path: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        subprocess.run(
            [sys.executable, __file__, "--measure", kind, str(path), str(out)], check=True
        )
        return json.loads(out.read_text())


def _medians(path: Path, compared: bool, repeat: int) -> tuple[dict, dict]:
    """The median run of polars and of the engine, measured in turn `repeat` times; the
    engine's first run also gives the findings to compare with frictionless."""
    polars_runs, engine_runs = [], []
    for index in range(repeat):
        polars_runs.append(measure("polars", path))
        engine_runs.append(measure("engine" if compared and index == 0 else "engine-alone", path))
    cells = engine_runs[0]["cells"]
    return _median(polars_runs), {**_median(engine_runs), "cells": cells}


def _median(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda figures: figures["seconds"])[len(runs) // 2]
    return {**middle, "peak": max(figures["peak"] for figures in runs)}


def _rate(figures: dict) -> str:
    return f"{figures['rows'] / figures['seconds']:,.0f}".replace(",", " ")


def main() -> None:
    from generate_subventions import SIZES, default_folder, write

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", choices=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-frictionless-above", choices=list(SIZES), default="1M")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    limit = SIZES[arguments.skip_frictionless_above]
    print(
        "| lignes | fichier | polars (s · lignes/s · pic) | moteur (s · lignes/s · pic) "
        "| frictionless (s · lignes/s · pic) | moteur ÷ frictionless | moteur ÷ polars "
        "| pic ÷ fichier | constats identiques / différents |"
    )
    print("|---:|---:|---|---|---|---:|---:|---:|---|")
    splits = []
    for size in arguments.sizes:
        path = write(size, arguments.seed, default_folder())
        megabytes = path.stat().st_size / 2**20
        compared = SIZES[size] <= limit
        polars, engine = _medians(path, compared, max(1, arguments.repeat))
        friction = measure("frictionless", path) if compared else None

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
        splits.append((size, measure("families", path), friction, polars))
    print()
    print(
        "| lignes | lecture | table-schema | custom-checks | privacy | autres familles "
        "| sans privacy ÷ frictionless | sans privacy ÷ polars |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, seconds, friction, polars in splits:
        main_parts = ("lecture", "table-schema", "custom-checks", "privacy")
        others = sum(value for name, value in seconds.items() if name not in main_parts)
        without_privacy = sum(seconds.values()) - seconds["privacy"]
        ratio = f"{friction['seconds'] / without_privacy:.1f}×" if friction else "—"
        shown = " | ".join(f"{seconds[name]:.2f} s" for name in main_parts)
        print(
            f"| {size} | {shown} | {others:.2f} s | {ratio} "
            f"| {without_privacy / polars['seconds']:.1f}× |",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        _measure(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
