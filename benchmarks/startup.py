"""Start-up time of the command line, as an officer meets it: whole processes, median of N runs.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--rows 1000] [--against OTHER/src]

Times `publisher check FICHIER --schema subventions` on a 1 000-row subsidies file (the
official valid example of the schema, repeated), `publisher --help`, and for reference the
bare imports of polars and frictionless in a fresh interpreter. Wall-clock and CPU time
(user + system of the child) are printed: on a machine shared with other work, CPU time is
the steadier figure. Then where `publisher check` spends its time, stage by stage (median of
the same number of runs, in one process each), and its imports by package.

With `--against`, the `src` folder of another version of publisher (`git archive COMMIT src`
unpacked somewhere), `publisher check` and `publisher --help` of both versions are timed in
turn, one process of each after the other, so that a busy spell of the machine weighs on both
alike: the way to compare two versions on a shared machine.

The modules' bytecode is written once before timing, as installing the package does: without
it (an editable install run with PYTHONDONTWRITEBYTECODE set) every run compiles publisher's
modules again, about 0.3 s more.
"""

from __future__ import annotations

import argparse
import json
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


def run_once(arguments: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, its threads included) of one whole process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        arguments, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def timed(
    arguments: list[str], runs: int, envs: tuple[dict[str, str] | None, ...] = (None,)
) -> list[tuple[float, float]]:
    """Median wall-clock and median CPU seconds of `runs` whole processes in each environment,
    the environments taking turns."""
    samples: list[list[tuple[float, float]]] = [[] for _ in envs]
    for _ in range(runs):
        for sample, env in zip(samples, envs, strict=True):
            sample.append(run_once(arguments, env))
    return [
        (statistics.median(w for w, _ in sample), statistics.median(c for _, c in sample))
        for sample in samples
    ]


STAGES = """
import contextlib, json, os, sys, time
marks = {}
PARALLEL = "second fil, en parallèle"

def timed(label, function):
    def run(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent = marks.setdefault(label, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu
    return run

def stage(label, code):
    timed(label, exec)(code, globals())

stage("import de publisher.cli", "import publisher.cli")
stage("import de polars", "import polars")
stage("import des contrôles", "import publisher.validation; publisher.checks.families()")
import publisher.cli.validation, publisher.model, publisher.validation
from publisher.checks import families
publisher.model.load_schema_registry = timed(
    "registre des schémas", publisher.model.load_schema_registry
)
_batches = publisher.validation.ResourceFile.batches
publisher.validation.ResourceFile.batches = timed(  # the batches read, not a generator made
    "lecture du fichier", lambda source: iter(list(_batches(source)))
)
for family in families():  # a family may be a generator: its findings are taken in the stage
    family.check_resource = timed(
        f"famille {family.name}", lambda context, check=family.check_resource: [*check(context)]
    )
    if family.prepares:  # in a second thread, beside the other families: not in the sum
        family.prepare_batch = timed(f"famille {family.name} ({PARALLEL})", family.prepare_batch)
publisher.cli.validation.emit_reports = timed(
    "résumé texte", publisher.cli.validation.emit_reports
)
measured = dict(marks)

def command():
    try:
        publisher.cli.main(sys.argv[1:])
    except SystemExit:
        pass

with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    timed("commande (total)", command)()
total = marks.pop("commande (total)")
inside = [v for k, v in marks.items() if k not in measured and PARALLEL not in k]
marks["reste de la commande"] = [t - sum(v[i] for v in inside) for i, t in enumerate(total)]
print(json.dumps(marks))
"""
"""Run in a fresh interpreter: each stage of `publisher check`, wall-clock and CPU seconds."""


def stages(arguments: list[str], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall-clock and CPU seconds of each stage of `publisher check` over `runs`
    processes (CPU of the process, polars' threads included)."""
    samples: dict[str, list[tuple[float, float]]] = {}
    for _ in range(runs):
        run = subprocess.run(
            [sys.executable, "-c", STAGES, *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        for label, (wall, cpu) in json.loads(run.stdout.splitlines()[-1]).items():
            samples.setdefault(label, []).append((wall, cpu))
    return {
        label: (statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs))
        for label, pairs in samples.items()
    }


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
    parser.add_argument("--against", type=Path, help="src folder of another version")
    options = parser.parse_args()
    versions: dict[str, dict[str, str] | None] = {"": None}
    compiling = [{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}]
    if options.against:
        other = str(options.against.resolve())
        versions[" [autre]"] = {**os.environ, "PYTHONPATH": other}
        compiling.append({**compiling[0], "PYTHONPATH": other})
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
        for env in compiling:  # the bytecode an installed package has (see above)
            run_once(cases[f"publisher check ({options.rows} lignes)"], env)
        print(f"médiane de {options.runs} processus entiers")
        print(f"{'commande':<44} {'horloge':>9} {'CPU':>9}")
        for label, arguments in cases.items():
            compared = versions if label.startswith("publisher") else {"": None}
            medians = timed(arguments, options.runs, tuple(compared.values()))
            for version, (wall, cpu) in zip(compared, medians, strict=True):
                print(f"{label + version:<44} {wall:>8.2f}s {cpu:>8.2f}s")
        check = cases[f"publisher check ({options.rows} lignes)"]
        print(f"\npublisher check par étape (médiane de {options.runs} processus) :")
        print("  (CPU du processus entier : une étape qui chevauche le second fil compte aussi le")
        print("  sien ; l'horloge est le chiffre de chaque étape)")
        for label, (wall, cpu) in stages(check[-4:], options.runs).items():
            print(f"  {label:<34} {wall:>8.3f}s {cpu:>8.3f}s")
        script = ["-c", "from publisher.cli import entry_point; entry_point()", *check[-4:]]
        print("\nimports de publisher check, par paquet (un processus) :")
        for package, seconds in import_costs(script)[:8]:
            print(f"  {package:<22} {seconds:>6.2f}s")


if __name__ == "__main__":
    main()
