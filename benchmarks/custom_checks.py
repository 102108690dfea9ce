"""Time the custom checks of the délibérations schema on a generated file (200,000 rows by
default, about 1 % of rows wrong for SIRET, votes and matière).

    .venv/bin/python benchmarks/custom_checks.py [ROWS]

Needs the reference schemas beside the repository (../shared/reference/schemas).
"""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

from publisher.checks.custom import CustomChecksFamily
from publisher.checks.registry import ResourceContext
from publisher.findings import Location
from publisher.read import read_resource
from publisher.schemas import SharedSchema

SCHEMA = Path(__file__).resolve().parents[2] / "shared/reference/schemas/deliberations/schema.json"
HEADER = (
    "COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,"
    "BUDGET_ANNEE,BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,"
    "VOTE_ABSTENTION,DELIB_URL"
)


def write_rows(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(rows):
            pour, contre, abstention = rng.randint(0, 30), rng.randint(0, 5), rng.randint(0, 3)
            reel = pour + contre + abstention + (rng.random() < 0.01)
            siret = "21330039500108" if rng.random() < 0.01 else "21330039500109"
            matiere = "Urbanisme / Permis" if rng.random() < 0.01 else "Urbanisme/Permis"
            out.write(
                f"Bègles,{siret},D{i},2025-03-12,2.1,{matiere},Objet {i},2025/2026,Principal,"
                f"P{i},2025-03-20,{reel + 2},{reel},{pour},{contre},{abstention},https://x.fr/{i}\n"
            )


def main(rows: int) -> None:
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    schema = SharedSchema("scdl/deliberations", "2.1.5", "", "table-schema", "", "", "", digest,
                          SCHEMA)  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "deliberations.csv"
        write_rows(data, rows)
        read = read_resource(data, "csv", None, Location())
        context = ResourceContext(None, None, None, read, schema, Location())  # type: ignore[arg-type]
        start, cpu = time.perf_counter(), time.process_time()
        findings = list(CustomChecksFamily().check_resource(context))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    checks = len(schema.descriptor["custom_checks"])
    print(
        f"{rows} lignes, {checks} contrôles, {len(findings)} constats : {elapsed:.2f} s "
        f"(CPU {cpu:.2f} s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
