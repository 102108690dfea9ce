"""Cells per second of the privacy scanner on a generated 1M-row subsidies-like file.

    .venv/bin/python benchmarks/privacy_scan.py [--rows 1000000]
    .venv/bin/python benchmarks/privacy_scan.py --file subventions-1M.csv

The file mixes what commune files hold: association names (some after a person), SIRETs,
amounts, dates, free text with now and then an e-mail, a phone number, a name or a NIR. It
is written to a temporary folder, read once as text columns (as `publisher.read` does) and
scanned; reading and scanning are timed apart. The CPU time (every thread) is the steadier
figure on a machine shared with other work. `--file` scans an existing CSV instead (`;`
separated, every column read as text), such as those of `generate_subventions.py`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from publisher.privacy.scanner import ScanOptions, scan

FIRST = ("Sophie", "Jean", "Nathalie", "Karim", "Léa", "Hugo", "Inès", "Michel", "Camille")
LAST = ("Garnier", "Martin", "Dubois", "Benali", "Nguyen", "Fontaine", "Lefèvre", "Roussel")
ASSOCIATIONS = ("Association", "Amicale", "Club", "Comité des fêtes", "Union sportive")


def _pick(words: tuple[str, ...], index: pl.Series, seed: int) -> pl.Series:
    return pl.Series(words).gather(index.hash(seed) % len(words))


def _number(index: pl.Series, seed: int, digits: int) -> pl.Series:
    return (index.hash(seed) % 10**digits).cast(pl.String).str.zfill(digits)


def generate(rows: int) -> pl.DataFrame:
    """Values drawn per row (most are distinct, as in a real file), personal data in about
    one row out of six."""
    index = pl.int_range(rows, eager=True)
    first, last = _pick(FIRST, index, 1), _pick(LAST, index, 2)
    number = _number(index, 3, 6)
    kind = index.hash(4) % 12
    frame = pl.DataFrame({"kind": kind, "first": first, "last": last, "n": number})
    objet = (
        pl.when(pl.col("kind") == 0)
        .then(
            pl.format("Contact : {}.{}{}@gmail.com", "first", "last", pl.col("n").str.slice(0, 2))
        )
        .when(pl.col("kind") == 1)
        .then(
            pl.format(
                "Projet porté par {} {}, tél. 06 {} {} {} 78",
                "first",
                "last",
                pl.col("n").str.slice(0, 2),
                pl.col("n").str.slice(2, 2),
                pl.col("n").str.slice(4, 2),
            )
        )
        .when(pl.col("kind") == 2)
        .then(
            pl.format(
                "Accueil au 05 56 {} {} {} (secrétariat)",
                pl.col("n").str.slice(0, 2),
                pl.col("n").str.slice(2, 2),
                pl.col("n").str.slice(4, 2),
            )
        )
        .when(pl.col("kind") == 3)
        .then(pl.format("Tournoi Jean Dauguet, édition {}", "n"))
        .when(pl.col("kind") == 4)
        .then(pl.format("Sport et handicap : achat de {} fauteuils", pl.col("n").str.slice(0, 2)))
        .otherwise(pl.format("Fonctionnement annuel, convention n° {}", "n"))
    )
    beneficiary = (
        pl.when(pl.col("kind") == 1)
        .then(pl.format("{} {}", pl.col("last").str.to_uppercase(), "first"))
        .otherwise(pl.format("{} {} {}", "association", "last", "n"))
    )
    month = ((pl.col("i").hash(6) % 12) + 1).cast(pl.String).str.zfill(2)
    day = ((pl.col("i").hash(7) % 28) + 1).cast(pl.String).str.zfill(2)
    return frame.with_columns(
        association=_pick(ASSOCIATIONS, index, 5),
        i=index,
        rna=_number(index, 8, 7),
        lat=_number(index, 10, 6),
    ).select(
        nomAttribuant=pl.lit("Commune de Bègles"),
        idAttribuant=pl.lit("21330039500109"),
        dateConvention=pl.format("2025-{}-{}", month, day),
        nomBeneficiaire=beneficiary,
        rnaBeneficiaire="W33" + pl.col("rna"),
        objet=objet,
        montant=(pl.col("i").hash(9) % 90_000 + 300).cast(pl.String),
        latitude="44." + pl.col("lat"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="scan this CSV rather than a generated one")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = arguments.file or Path(folder) / "subventions.csv"
        if arguments.file is None:
            generate(arguments.rows).write_csv(path, separator=";")
        size = path.stat().st_size
        started = time.perf_counter()
        frame = pl.read_csv(path, separator=";", infer_schema=False)
        read = time.perf_counter() - started
    rows = frame.height
    numbers = pl.int_range(2, frame.height + 2, eager=True)
    started, cpu = time.perf_counter(), time.process_time()
    hits = scan(frame, numbers, ScanOptions(today=date(2026, 11, 23)))
    scanned, cpu = time.perf_counter() - started, time.process_time() - cpu
    cells = frame.height * frame.width
    print(
        f"fichier : {rows} lignes × {frame.width} colonnes = {cells} cellules ({size // 10**6} Mo)"
    )
    print(f"lecture : {read:.1f} s")
    print(
        f"analyse : {scanned:.1f} s (CPU {cpu:.1f} s, tous fils), "
        f"soit {cells / scanned:.0f} cellules par seconde"
    )
    for hit in hits:
        print(
            f"  {hit.column:<16} {hit.family.value:<12} {hit.grade.value:<7} "
            f"{len(hit.rows):>9} cellules, ex. {hit.sample}"
        )


if __name__ == "__main__":
    main()
