"""Publish 5 communes × 50 datasets to the sandbox, then again with nothing changed.

Reports, for the first run and for the no-op rerun, the wall time and the HTTP calls by kind
(the no-op rerun must make zero write calls). Each commune publishes with its own key, as
`publisher publish` does. Usage:

    python benchmarks/publish_federation.py [--communes 5] [--datasets 50] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from publisher.portal import (
    AutomationClient,
    DatasetPayload,
    PortalState,
    ResourceFile,
    SandboxServer,
    apply_changes,
    plan_changes,
)

COMMUNES = ("begles", "merignac", "le-taillan-medoc", "pessac", "talence")
HEADER = "Bénéficiaire;Montant (€);Date de vote;Code INSEE\n"
WRITES = frozenset({"POST", "PUT", "DELETE"})
UIDS = re.compile(r"/(da|re)_[a-z0-9]+|/[^/]+\.[0-9a-f]{12}\.csv|/catalog/datasets/[^/]+")


class CallCounter(httpx.BaseTransport):
    """Counts calls by method and path shape (uids and dataset ids replaced)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.calls: Counter[str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/automation/v1.0").removeprefix("/api")
        shape = UIDS.sub(lambda m: "/{id}" if "catalog" not in m[0] else "/catalog/{id}", path)
        self.calls[f"{request.method} {shape}"] += 1
        return self.inner.handle_request(request)


def payloads(folder: Path, communes: int, per_commune: int) -> list[DatasetPayload]:
    made = []
    for commune in COMMUNES[:communes]:
        for number in range(per_commune):
            dataset_id = f"{commune}-jeu-{number:03d}"
            path = folder / f"{dataset_id}.csv"
            rows = "".join(
                f"Association {n};{100 + n}.50;2026-01-{1 + n % 28:02d};33039\n" for n in range(40)
            )
            path.write_text(HEADER + rows, "utf-8")
            made.append(
                DatasetPayload(
                    dataset_id,
                    commune,
                    {
                        "default": {
                            "title": f"Jeu {number} de {commune}",
                            "language": "fr",
                            "modified": "2026-03-01T00:00:00+00:00",
                            "keyword": ["subventions"],
                        },
                        "internal": {"license_id": "lov2", "theme_id": ["economie"]},
                        "dcat": {"accrualperiodicity": "Annuelle"},
                    },
                    (ResourceFile(path, path.name, "csvfile", {"separator": ";"}),),
                )
            )
    return made


def run(
    portal: SandboxServer, work: list[DatasetPayload], state: PortalState, concurrency: int
) -> tuple[float, Counter[str]]:
    counter = CallCounter()
    clients = {
        commune: AutomationClient(
            portal.url,
            portal.commune_key(commune),
            commune=commune,
            transport=counter,
            poll_interval=0.05,
        )
        for commune in sorted({p.commune for p in work})
    }
    started = time.perf_counter()
    plan = plan_changes(clients, work, state, concurrency=concurrency)
    outcomes = apply_changes(clients, plan, state, concurrency=concurrency)
    elapsed = time.perf_counter() - started
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"{len(failed)} échecs, par exemple : {failed[0].message}")
    return elapsed, counter.calls


def show(title: str, elapsed: float, calls: Counter[str]) -> None:
    writes = sum(n for kind, n in calls.items() if kind.split()[0] in WRITES)
    print(f"\n{title} : {elapsed:.1f} s, {sum(calls.values())} appels HTTP dont {writes} écritures")
    for kind, count in sorted(calls.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:6d}  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=5)
    parser.add_argument("--datasets", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        work = payloads(folder, options.communes, options.datasets)
        state = PortalState(folder / "state.sqlite3")
        with SandboxServer(folder / "portal") as portal:
            print(
                f"{len(work)} jeux ({options.communes} communes × {options.datasets}), "
                f"{options.concurrency} en parallèle, bac à sable (traitement 0,1 + 0,2 s)"
            )
            show("Première publication", *run(portal, work, state, options.concurrency))
            show("Relance sans changement", *run(portal, work, state, options.concurrency))


if __name__ == "__main__":
    main()
