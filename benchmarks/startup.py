"""Start-up time of the command line, as an officer meets it: whole processes, median of N runs.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--rows 1000]

Times `publisher check FICHIER --schema subventions` on a 1 000-row subsidies file (the
official valid example of the schema, repeated), `publisher --help`, and for reference the
bare imports of polars and frictionless in a fresh interpreter. Wall-clock and CPU time
(user + system of the child) are printed: on a machine shared with other work, CPU time is
the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "schemas/scdl/subventions/2.1.1/examples/exemple_valide.csv"


def subsidies_file(folder: Path, rows: int) -> Path:
    """The official valid example's rows, repeated up to `rows`."""
    header, *lines = [line for line in EXAMPLE.read_text("utf-8").splitlines() if line.strip()]
    path = folder / "subventions.csv"
    body = [lines[index % len(lines)] for index in range(rows)]
    path.write_text("\n".join([header, *body]) + "\n", "utf-8")
    return path


def command() -> list[str]:
    """The installed `publisher` script beside this interpreter, else its entry point."""
    script = Path(sys.executable).with_name("publisher")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from publisher.cli import entry_point; entry_point()"]


def timed(arguments: list[str], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of `runs` whole processes."""
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        started = time.perf_counter()
        subprocess.run(arguments, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(
            (after.children_user - before.children_user)
            + (after.children_system - before.children_system)
        )
    return statistics.median(walls), statistics.median(cpus)


def import_costs(arguments: list[str]) -> list[tuple[str, float]]:
    """Seconds spent importing each package during one run (`-X importtime`, the modules' own
    times summed by top-level package): what the command pays before it does any work."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    costs: dict[str, float] = {}
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _cumulative, name = line.removeprefix("import time:").split("|")
        if not own.strip().isdigit():
            continue  # the heading
        package = name.strip().split(".")[0]
        costs[package] = costs.get(package, 0.0) + int(own) / 1e6
    return sorted(costs.items(), key=lambda item: -item[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = subsidies_file(Path(folder), options.rows)
        cases = {
            f"publisher check ({options.rows} lignes)": [
                *command(),
                "check",
                str(data),
                "--schema",
                "subventions",
            ],
            "publisher --help": [*command(), "--help"],
            "python -c 'import polars'": [sys.executable, "-c", "import polars"],
            "python -c 'import frictionless'": [sys.executable, "-c", "import frictionless"],
            "python -c 'pass'": [sys.executable, "-c", "pass"],
        }
        print(f"médiane de {options.runs} processus entiers")
        print(f"{'commande':<36} {'horloge':>9} {'CPU':>9}")
        for label, arguments in cases.items():
            wall, cpu = timed(arguments, options.runs)
            print(f"{label:<36} {wall:>8.2f}s {cpu:>8.2f}s")
        check = cases[f"publisher check ({options.rows} lignes)"]
        script = ["-c", "from publisher.cli import entry_point; entry_point()", *check[-4:]]
        print("\nimports de publisher check, par paquet (un processus) :")
        for package, seconds in import_costs(script)[:8]:
            print(f"  {package:<22} {seconds:>6.2f}s")


if __name__ == "__main__":
    main()
