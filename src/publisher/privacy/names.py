"""Names of natural persons: two signals, never a capitalised word alone.

A name is flagged when two things agree: a person header and a person-shaped value
(`nom_prenom` = « GARNIER Sophie »), a civility and a capitalised word (« Mme Garnier »), or a
first name of the Insee dictionary next to a surname-like word (« contacter Sophie Garnier »).
Places, events and organisations named after someone (« rue Victor Hugo », « collège Jules
Ferry », « Amicale Jean Moulin ») and people named in a public role (« M. Dupont, maire »)
are blanked out first. Everything runs on whole columns: words are exploded into a long frame
and looked up with joins, never one cell at a time in Python.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from publisher.privacy.lexicon import (
    CIVILITY,
    LEGAL_PERSON_WORDS,
    NAME_WORD,
    PLACE_WORDS,
    ROLE_WORDS,
    UPPER_WORD,
    word_list,
)
from publisher.privacy.whitelist import BLANK

NOT_FIRST_NAMES = word_list("non-prenoms.txt")
"""Insee first names that are above all words or local place names in administrative text."""

NOT_SURNAMES = word_list("non-patronymes.txt")
"""Capitalised words that are never a surname: articles, calendar, common nouns of acts."""

_SEQUENCE = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}}"
_PARTICLE = r"(?:(?i:de|du|des|de la|d'|d’|l'|l’|la|le|les|aux|au)\s*)*"
_QUALIFIER = r"(?:\p{Ll}[\p{L}'’-]*\s+){0,2}"
"""« école *élémentaire* Jules Guesde », « salle *polyvalente* Jean Moulin »."""
_START = r"(?:^|[^\p{L}\p{N}])"
_END = r"(?:$|[^\p{L}\p{N}])"
"""Word edges for words that may begin or end with an accent (« école », « délégué »); the
ASCII `\b` used elsewhere keeps the regex engine on its fast path but ignores accents."""
_PLACE_SPAN = (
    rf"{_START}(?i:(?:{PLACE_WORDS}))\s+{_QUALIFIER}{_PARTICLE}{NAME_WORD}"
    rf"(?:\s+(?:(?i:et|&)\s+)?{_PARTICLE}{NAME_WORD}){{0,3}}"
)
_ROLE_BEFORE = (
    rf"{_START}(?i:(?:{ROLE_WORDS}))\s*[,:]?\s*(?:{CIVILITY}\s+)?"
    rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}"
)
_ROLE_AFTER = (
    rf"(?:{CIVILITY}\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}\s*[,(–-]\s*"
    rf"(?i:(?:{ROLE_WORDS})){_END}"
)
_CIVILITY_NAME = rf"(?-u:\b){CIVILITY}\s+{NAME_WORD}(?:\s+{NAME_WORD})?"


NO_MATCH = pl.DataFrame(schema={"_cell": pl.UInt32, "match": pl.String})
"""What a step finds in no cell; returned before any pattern is compiled for nothing."""


@lru_cache(maxsize=1)
def first_names() -> pl.Series:
    """The vendored Insee first names (upper case, no accents), minus `NOT_FIRST_NAMES`."""
    names = sorted(word_list("prenoms.txt") - NOT_FIRST_NAMES)
    return pl.Series("word", names, dtype=pl.String)


def fold(word: pl.Expr) -> pl.Expr:
    """Upper case without accents nor apostrophes: « Hélène » → « HELENE »."""
    return word.map_batches(_fold, return_dtype=pl.String)


_UNCHANGED_BY_NFKD = "°€’‘«»“”–—•œŒæÆ"
"""Frequent characters beyond ASCII that Unicode decomposition leaves as they are (checked by
a test with `unicodedata`): a value holding only these and ASCII needs no decomposition."""


FOLD_DIRECTLY = 10_000
"""Up to this many values, decomposing them all costs less than finding those that need it."""


def _fold(words: pl.Series) -> pl.Series:
    """Unicode decomposition only where a value may change by it: it is the identity on
    ASCII and `_UNCHANGED_BY_NFKD`, and the costly step on a whole column."""
    if words.len() <= FOLD_DIRECTLY:
        return _decomposed(words)
    folded = words.str.replace_all(r"['’]", "").str.to_uppercase()
    accented = words.str.contains(f"[^\\x00-\\x7F{_UNCHANGED_BY_NFKD}]").fill_null(False).arg_true()
    if accented.len() == 0:
        return folded
    return folded.scatter(accented, _decomposed(words.gather(accented)))


def _decomposed(words: pl.Series) -> pl.Series:
    return (
        words.str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all(r"['’]", "")
        .str.to_uppercase()
    )


_PLACE_CUE = rf"{_START}(?i:(?:{PLACE_WORDS}))\s(?s:.)*\p{{Lu}}"
"""A place word, then a capital letter further on (the name after it): « Association enfance
n°12 » has the word but names nobody after it."""
_PUBLIC_NAME_SPANS = (
    (_PLACE_CUE, (_PLACE_SPAN,)),
    (rf"(?i:(?:{ROLE_WORDS}))", (_ROLE_BEFORE, _ROLE_AFTER)),
)
"""The spans to blank, under a cue every match of them holds (their place or role word): the
spans' patterns are slow to build and to run, the cues are not."""


def blank_public_names(text: pl.Expr) -> pl.Expr:
    """Places, organisations and public roles named after people, blanked before detection."""
    return text.map_batches(_blank_public_names, return_dtype=pl.String)


def _blank_public_names(texts: pl.Series) -> pl.Series:
    """Each span blanked in the values holding its cue only: most values hold none, and then
    the span's pattern is never compiled."""
    for cue, patterns in _PUBLIC_NAME_SPANS:
        cued = texts.str.contains(cue).fill_null(False).arg_true()
        if cued.len():
            spans = texts.gather(cued)
            for pattern in patterns:
                spans = spans.str.replace_all(pattern, BLANK)
            texts = texts.clone().scatter(cued, spans)
    return texts


def may_name(text: pl.Expr) -> pl.Expr:
    """A cheap first look: two capitalised words in a row, or a civility."""
    return text.str.contains(_SEQUENCE) | text.str.contains(_CIVILITY_NAME)


def civility_names(text: pl.Expr) -> pl.Expr:
    """The first « civility + capitalised word » of each cell, or null."""
    return text.str.extract(_CIVILITY_NAME, 0)  # the pattern `may_name` compiles too


def dictionary_names(cells: pl.DataFrame) -> pl.DataFrame:
    """Cells (`_cell`) whose text (`text`) holds a first name next to a surname-like word.

    A short cell naming an organisation (« Les Amis de Simone Signoret ») names no person;
    nor does a cell written all in capitals, where every word looks like a name (« LA FERTE
    BERNARD »): there only a person header or a civility counts.
    Returns `_cell` and `match` (the sequence of capitalised words, to be masked).
    """
    # sequences first, and before folding the text: most cells hold none, and folding costs
    text = pl.col("text")
    with_sequences = cells.filter(text.str.contains(_SEQUENCE))  # `may_name`'s pattern
    if with_sequences.is_empty():
        return NO_MATCH
    with_sequences = with_sequences.filter(text.str.contains(r"\p{Ll}")).with_columns(
        text.str.extract_all(_SEQUENCE).alias("match")
    )
    if with_sequences.is_empty():
        return NO_MATCH
    sequences = (
        with_sequences.filter(~_organisation(fold(pl.col("text")).str.to_lowercase()))
        .select("_cell", "match")
        .explode("match")
        .drop_nulls("match")
        .with_row_index("_seq")
    )
    if sequences.height == 0:
        return NO_MATCH
    words = _classified(
        sequences.select("_seq", pl.col("match").str.split(" ").alias("word"))
        .explode("word")
        .filter(pl.col("word") != "")
    )
    found = (
        words.with_columns(
            (pl.col("first") & (_beside("surname", -1) | _beside("surname", 1))).alias("pair"),
        )
        .group_by("_seq")
        .agg(pl.col("pair").any(), pl.col("legal").any())
        .filter(pl.col("pair") & ~pl.col("legal"))
    )
    return (
        sequences.join(found.select("_seq"), on="_seq", how="semi")
        .group_by("_cell", maintain_order=True)
        .agg(pl.col("match").first())
    )


_PERSON_SHAPED = rf"^\s*(?:{CIVILITY}\s+)?({NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s*$"
"""One to three capitalised words, after a civility or not: the words are the match. One
pattern where stripping, removing the civility and testing the shape read every cell thrice."""
_REGISTRY_FORM = rf"^(?:{UPPER_WORD}\s+{NAME_WORD}|{NAME_WORD}\s+{UPPER_WORD})$"
"""« GARNIER Sophie » or « Sophie GARNIER »."""


def person_shaped(cells: pl.DataFrame) -> pl.DataFrame:
    """Cells that read whole as a person's name (for columns with a person header).

    A cell of one to three capitalised words, none of an organisation nor an article or a
    « Saint » (« ST NAZAIRE ASSOCIATIONS »), with a first name of the
    dictionary; where `lone_word` is set (a first-name column, or a surname column beside
    one) one capitalised word is enough; where `bare_name` is set (a bare « nom » column) the
    cell must have the registry form, surname in capitals.
    """
    if cells.is_empty():
        return NO_MATCH
    shaped = cells.with_columns(
        pl.col("text").str.extract(_PERSON_SHAPED, 1).alias("match")
    ).drop_nulls("match")
    bare = shaped.filter(pl.col("bare_name"))
    if not bare.is_empty():  # else the registry form is not compiled for nothing
        registry = pl.col("match").str.contains(_REGISTRY_FORM)
        shaped = shaped.filter(~pl.col("bare_name") | registry)
    if shaped.height == 0:
        return NO_MATCH
    words = _classified(
        shaped.select("_cell", pl.col("match").str.split(" ").alias("word"))
        .explode("word")
        .filter(pl.col("word") != "")
    )
    verdict = words.group_by("_cell").agg(
        pl.col("first").any(),
        (pl.col("legal") | pl.col("stop")).any().alias("other"),
        pl.len().alias("count"),
    )
    lone = shaped.select("_cell", "lone_word")
    named = ~pl.col("other") & (pl.col("first") | (pl.col("lone_word") & (pl.col("count") == 1)))
    verdict = verdict.join(lone, on="_cell")
    keep = verdict.filter(named).select("_cell")
    return shaped.join(keep, on="_cell", how="semi").select("_cell", "match")


_LEGAL_WORD = "(?:" + "|".join(sorted(LEGAL_PERSON_WORDS)) + ")s?"
"""A lower-case, unaccented word of an organisation's name, plural included; one pattern, so
that a cell is read once instead of being split into a list of words."""


def _organisation(folded: pl.Expr) -> pl.Expr:
    """A cell (`fold`ed, lower case) of at most six words (runs of a-z), one of which belongs
    to an organisation's name."""
    legal = folded.str.contains(rf"(?:^|[^a-z]){_LEGAL_WORD}(?:[^a-z]|$)")
    return legal & (folded.str.count_matches(r"[a-z]+") <= 6)


def _beside(flag: str, step: int) -> pl.Expr:
    """Whether the word `step` places after (or before, if negative) in the same sequence
    (`_seq`, whose words are contiguous and in order) has `flag`."""
    neighbour = pl.col("_seq").shift(-step) == pl.col("_seq")
    return (neighbour & pl.col(flag).shift(-step)).fill_null(False)


def _classified(words: pl.DataFrame) -> pl.DataFrame:
    """`words` with the classes of each `word` (`_word_classes`), decided once per distinct
    word: first names and surnames repeat down a column."""
    distinct = words.select(pl.col("word").unique()).with_columns(fold(pl.col("word")).alias("_f"))
    classes = distinct.select("word", *_word_classes(pl.col("_f")))
    return words.join(classes, on="word", how="left", maintain_order="left")


def _word_classes(folded: pl.Expr) -> list[pl.Expr]:
    """What a word (`fold`ed) is: a first name, a surname-like word, an organisation's word,
    or a word that is never a surname."""
    head = folded.str.extract(r"^([^-]+)", 1)
    legal = folded.str.to_lowercase().str.contains(rf"(?:^|-){_LEGAL_WORD}(?:-|$)")
    first = head.is_in(first_names().implode())
    stop = folded.is_in(list(NOT_SURNAMES)) | head.is_in(list(NOT_SURNAMES))
    return [
        first.alias("first"),
        (~stop & ~legal & folded.str.contains(r"^[A-Z][A-Z-]+$")).alias("surname"),
        legal.alias("legal"),
        (stop & ~first).alias("stop"),
    ]
