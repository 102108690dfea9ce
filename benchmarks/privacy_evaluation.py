"""Print the privacy scanner's precision and recall per family on the labelled set.

    .venv/bin/python benchmarks/privacy_evaluation.py

The set and its labels are in tests/privacy/evaluation/ (cells.csv, built by build_cells.py);
the table printed here is the one in docs/privacy.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from privacy.evaluation import evaluate, markdown

if __name__ == "__main__":
    result = evaluate()
    print(markdown(result))
    if result.flagged_traps or result.missed:
        print()
    for table, row, column, family in result.flagged_traps:
        print(f"piège signalé : {table} ligne {row}, {column} → {family}")
    for table, row, column, value in result.missed:
        print(f"manqué : {table} ligne {row}, {column} : {value}")
