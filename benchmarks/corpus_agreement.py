"""Agreement of our Table Schema findings with frictionless on the official examples and on
every CSV of the shared corpus.

    python benchmarks/corpus_agreement.py [CORPUS_DIR]

For each file: our cell findings (type, constraint, unique) and frictionless' on the same
decoded text, columns matched by name; and frictionless' count when it matches columns by
position, as it does by default (the cascade a misplaced column causes).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from oracle import (  # noqa: E402
    CORPUS_SCHEMAS,
    EVERY_FINDING,
    frictionless_cells,
    frictionless_cells_by_name,
    our_cells,
)
from publisher.findings import Location  # noqa: E402
from publisher.read import read_resource  # noqa: E402
from publisher.schemas import SchemaRegistry  # noqa: E402
from publisher.validation import check_file  # noqa: E402

REGISTRY = SchemaRegistry.load(HERE.parent / "schemas")


def compare(path: Path, schema) -> tuple[int, int, int, int]:
    table = read_resource(path, "csv", None, Location()).table
    if table is None:
        return 0, 0, 0, 0
    ours, _ = our_cells(check_file(path, schema, cap=EVERY_FINDING).findings)
    by_name = frictionless_cells_by_name(table, schema.descriptor)
    positional, _, _ = frictionless_cells(table.data, schema.descriptor, table.delimiter)
    return table.row_count, len(ours & by_name), len(ours ^ by_name), len(positional)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus"
    print(
        "| fichier | schéma | lignes | constats de cellule identiques | différents "
        "| frictionless par position |"
    )
    print("|---|---|---:|---:|---:|---:|")
    totals = [0, 0, 0]
    targets = [
        (example.path, schema, f"exemple officiel {example.file}")
        for schema in REGISTRY
        if schema.is_tabular
        for example in schema.examples
    ]
    for path in sorted(corpus.rglob("*.csv")):
        relative = path.relative_to(corpus).as_posix()
        matches = (n for prefix, n in CORPUS_SCHEMAS.items() if relative.startswith(prefix))
        name = next(matches, None)
        if name:
            targets.append((path, REGISTRY.resolve(name), relative))
    for path, schema, label in targets:
        rows, same, different, positional = compare(path, schema)
        totals[0] += same
        totals[1] += different
        totals[2] += positional
        print(f"| {label} | {schema.ref} | {rows} | {same} | {different} | {positional} |")
    print(f"| **total** | | | {totals[0]} | {totals[1]} | {totals[2]} |")


if __name__ == "__main__":
    main()
