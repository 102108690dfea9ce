"""Seeded generator of SCDL subventions files (scdl/subventions@2.1.1) for the engine benchmark.

    python benchmarks/generate_subventions.py 10k 100k 1M [--seed 7] [--out DIR]

Writes `subventions-<size>.csv` (semicolon, UTF-8) in a cache folder (default: the system's
temporary folder, `publisher-benchmarks/`), never in the repository; an existing file with the
same size and seed is reused. About 1 % of the rows carry an injected error, spread over every
kind a commune makes: a word or a decimal comma in an amount, a French date, a 13-digit SIRET,
a SIRET with a wrong check digit, a missing required cell, a value outside the enumeration, a
rate above its maximum, a whole row repeated, and personal data (an e-mail address, a mobile
phone number) in the free-text object. Every column is built by polars from hashes of the row
index, so 10 million rows take seconds and the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import polars as pl

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
ERROR_KINDS = (
    "word-amount",
    "decimal-comma",
    "french-date",
    "short-siret",
    "siret-check-digit",
    "missing-required",
    "enum",
    "maximum",
    "duplicate-row",
    "email",
    "phone",
)
ERROR_RATE = 0.01
ATTRIBUTORS = ("Commune de Bègles", "Ville de Pessac", "Mairie de Talence", "Commune de Cenon")


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / "publisher-benchmarks"


def luhn_sirets(count: int, start: int) -> list[str]:
    """`count` 14-digit numbers whose Luhn key is right (the SIRET check)."""
    sirets: list[str] = []
    candidate = start
    while len(sirets) < count:
        digits = f"{candidate:014d}"
        total = 0
        for position, char in enumerate(reversed(digits)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            sirets.append(digits)
        candidate += 1
    return sirets


def _pick(values: list[str] | tuple[str, ...], index: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(values)).gather(index % len(values))


def generate(rows: int, seed: int) -> pl.DataFrame:
    """The subventions table, every cell as text, errors injected."""
    row = pl.int_range(rows, dtype=pl.UInt64)

    def draw(salt: int, modulo: int) -> pl.Expr:
        return (row.hash(seed * 1_000 + salt) % modulo).cast(pl.Int64)

    def day(salt: int) -> pl.Expr:
        return (pl.date(2020, 1, 1) + pl.duration(days=draw(salt, 2000))).dt.strftime("%Y-%m-%d")

    attributor_sirets = luhn_sirets(len(ATTRIBUTORS), 21_330_039_500_000)
    beneficiary_sirets = luhn_sirets(997, 52_499_120_500_000)
    frame = pl.select(
        _pick(ATTRIBUTORS, draw(1, 4)).alias("nomAttribuant"),
        _pick(attributor_sirets, draw(1, 4)).alias("idAttribuant"),
        day(2).alias("dateConvention"),
        pl.format("DEL-{}-{}", draw(3, 6) + 2020, draw(4, 999)).alias("referenceDecision"),
        pl.format("Association {} n°{}", _pick(WORDS, draw(5, 50)), draw(6, 5000)).alias(
            "nomBeneficiaire"
        ),
        _pick(beneficiary_sirets, draw(7, 997)).alias("idBeneficiaire"),
        pl.format("W{}", draw(8, 900_000_000) + 100_000_000).alias("rnaBeneficiaire"),
        pl.format("Soutien au projet {} {}", _pick(WORDS, draw(9, 50)), draw(10, 100)).alias(
            "objet"
        ),
        pl.format("{}.{}", draw(11, 90_000) + 100, (draw(12, 90) + 10)).alias("montant"),
        _pick(("aide en numéraire", "aide en nature"), draw(13, 2)).alias("nature"),
        _pick(("unique", "échelonné"), draw(14, 2)).alias("conditionsVersement"),
        pl.format("{}/{}", day(15), day(16)).alias("datesPeriodeVersement"),
        pl.lit("").alias("idRAE"),
        _pick(("oui", "non"), draw(17, 2)).alias("notificationUE"),
        pl.format("0.{}", draw(18, 89) + 10).alias("pourcentageSubvention"),
        _pick(("Soutien aux clubs", "Culture", ""), draw(19, 3)).alias("dispositifAide"),
    )
    return _inject_errors(frame, draw(100, 1_000_000))


def _inject_errors(frame: pl.DataFrame, lottery: pl.Expr) -> pl.DataFrame:
    """About ERROR_RATE of the rows get one error, each kind an equal share."""
    share = int(1_000_000 * ERROR_RATE / len(ERROR_KINDS))
    kind = pl.when(lottery < share * len(ERROR_KINDS)).then(lottery // share)
    frame = frame.with_columns(kind.alias("_kind"))

    def at(name: str) -> pl.Expr:
        return pl.col("_kind") == ERROR_KINDS.index(name)

    def swap(column: str, name: str, value: pl.Expr) -> pl.Expr:
        return pl.when(at(name)).then(value).otherwise(pl.col(column)).alias(column)

    frame = frame.with_columns(
        swap("montant", "word-amount", pl.lit("environ mille")),
        swap("dateConvention", "french-date", pl.lit("12/03/2024")),
        swap("idAttribuant", "short-siret", pl.col("idAttribuant").str.slice(1)),
        swap("idBeneficiaire", "siret-check-digit", pl.lit("52499120500014")),
        swap("nomBeneficiaire", "missing-required", pl.lit("")),
        swap("nature", "enum", pl.lit("subvention")),
        swap("pourcentageSubvention", "maximum", pl.lit("1.5")),
        pl.when(at("email"))
        .then(pl.lit("Contact : jean.dupont@gmail.com"))
        .when(at("phone"))
        .then(pl.lit("Joindre le 06 12 34 56 78"))
        .otherwise(pl.col("objet"))
        .alias("objet"),
    ).with_columns(
        swap("montant", "decimal-comma", pl.col("montant").str.replace(".", ",", literal=True))
    )
    repeated = frame.filter(at("duplicate-row"))
    return pl.concat([frame, repeated]).drop("_kind")


WORDS = [
    "culture", "sport", "jeunesse", "solidarité", "musique", "théâtre", "lecture", "danse",
    "football", "rugby", "tennis", "natation", "judo", "patrimoine", "environnement", "jardins",
    "quartier", "seniors", "enfance", "famille", "santé", "emploi", "insertion", "handicap",
    "cinéma", "photographie", "arts", "cirque", "fanfare", "chorale", "échecs", "randonnée",
    "vélo", "pétanque", "basket", "handball", "escrime", "voile", "aviron", "canoë", "escalade",
    "yoga", "informatique", "langues", "histoire", "sciences", "nature", "oiseaux", "abeilles",
    "forêt",
]  # fmt: skip


def write(size: str, seed: int, folder: Path) -> Path:
    """The file for one size, generated once per seed."""
    path = folder / f"subventions-{size}-seed{seed}.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        generate(SIZES[size], seed).write_csv(partial, separator=";")
        partial.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", choices=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=default_folder())
    arguments = parser.parse_args()
    for size in arguments.sizes:
        path = write(size, arguments.seed, arguments.out)
        print(f"{size}: {path} ({path.stat().st_size / 1e6:.0f} Mo)")


if __name__ == "__main__":
    main()
