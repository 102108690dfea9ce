"""One detector per family of personal data, each working on every column at once.

A detector gets the table's distinct values (`Cells`: one line per distinct non-empty value of
each column, with what its header says) and returns one line per suspect value: `_cell`,
`match` (the suspect span, masked later), `detail` (French) and a `strength` that says how
the row's context decides (see `Strength`). Regular expressions only find candidates;
checksums (python-stdnum), the numbering plan (phonenumbers) or context decide. Word edges are
written `(?-u:\b)` (ASCII): the regex engine then keeps its fast path, which a Unicode `\b`
loses on accented text (30 times slower); the few words that may start with an accent use
explicit edges (`names._START`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

import polars as pl

from publisher.i18n import N_
from publisher.privacy.lexicon import (
    FUNCTIONAL_MAILBOXES,
    PUBLIC_DOMAINS,
    SENSITIVE_TERMS,
    WEBMAIL_DOMAINS,
    header_says,
    header_tokens,
)
from publisher.privacy.masking import valid_iban, valid_nir
from publisher.privacy.names import (
    blank_public_names,
    civility_names,
    dictionary_names,
    may_name,
    person_shaped,
)
from publisher.privacy.whitelist import blank_public_spans, compact


class Family(StrEnum):
    NIR = "nir"
    IBAN = "iban"
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"
    PLATE = "plate"
    PARCEL = "parcel"
    GEOLOCATION = "geolocation"
    IDENTIFIER = "identifier"
    SENSITIVE = "sensitive"
    SMALL_COUNT = "small_count"

    @property
    def label(self) -> str:
        """What the officer reads: « un numéro de sécurité sociale (NIR) »."""
        return FAMILY_LABELS[self]


FAMILY_LABELS = {
    Family.NIR: N_("un numéro de sécurité sociale (NIR)"),
    Family.IBAN: N_("un IBAN (coordonnées bancaires)"),
    Family.EMAIL: N_("une adresse e-mail personnelle"),
    Family.PHONE: N_("un numéro de téléphone"),
    Family.NAME: N_("le nom d'une personne physique"),
    Family.BIRTH_DATE: N_("une date de naissance"),
    Family.ADDRESS: N_("l'adresse d'un particulier"),
    Family.PLATE: N_("une plaque d'immatriculation"),
    Family.PARCEL: N_("une parcelle cadastrale avec son propriétaire"),
    Family.GEOLOCATION: N_("la position précise d'une personne"),
    Family.IDENTIFIER: N_("un identifiant personnel"),
    Family.SENSITIVE: N_("une donnée sensible sur une personne"),
    Family.SMALL_COUNT: N_("un effectif trop petit"),
}


class Strength(StrEnum):
    """How a candidate becomes a finding, given whether its row names a person."""

    DIRECT = "direct"
    """Personal whatever the row holds."""
    REVIEW = "review"
    """To review whatever the row holds."""
    DIRECT_IF_PERSON = "direct_if_person"
    """Personal in a row that names a person, to review otherwise (IBAN, mobile)."""
    IF_PERSON = "if_person"
    """Personal in a row that names a person, ignored otherwise (address, sensitive words)."""
    REVIEW_IF_PERSON = "review_if_person"
    """To review in a row that names a person, ignored otherwise (landline, parcel, GPS)."""


PERSON_SIGNALS = (Family.EMAIL, Family.NAME, Family.BIRTH_DATE, Family.IDENTIFIER, Family.NIR)
"""Families whose direct hits say that a row is about a person."""

HEADER_FLAGS = (
    "role",
    "thing",
    "bare_name",
    "person",
    "first_name",
    "lone_word",
    "birth",
    "nir",
    "phone_personal",
    "plate",
    "owner",
    "coordinate",
    "coordinate_pair",
    "home",
    "counts_people",
)
"""What each column's header says, one boolean column each on the cells (see `header_flags`)."""

NUMBER_FLAGS = ("birth", "coordinate", "coordinate_pair", "counts_people")
"""Headers under which a value made of digits alone may be personal (a date, a position, a
count), as under a personal identifier's header (`identifier`)."""

_MAY_HOLD = r"[\p{L}@]|\d(?:[\s.\-()+]*\d){9}"
"""A letter, an @, or ten digits apart only by spaces, dots, dashes, brackets or a plus."""

_IDENTIFIERS = {
    "passport": (r"(?-u:\b)\d{2}[A-Z]{2}\d{5}(?-u:\b)", "numéro de passeport"),
    "tax_number": (r"(?-u:\b)[0-3]\d{12}(?-u:\b)", "numéro fiscal (SPI)"),
    "student_number": (
        r"(?-u:\b)(?:\d{9}[A-Z]{2}|\d{10}[A-Z])(?-u:\b)",
        "identifiant national élève (INE)",
    ),
    "family_allowance": (r"(?-u:\b)\d{7}(?-u:\b)", "numéro d'allocataire CAF"),
}
"""Personal identifiers recognised only under their header: header family → (pattern, label)."""

_HOME_HEADER = ("domicile", "personnel", "personnelle", "perso", "residence")
_GEO_HEADER = ("geo", "point", "coordonnees", "coordinates", "gps", "geom", "geopoint")


@dataclass(frozen=True)
class Cells:
    """The distinct non-empty values of each column of a table, as the detectors see them.

    `cells` has `_cell` (the value's id), `column`, `raw`, `public` (the whole cell is a public
    identifier), `identifier` (which personal identifier the header announces, or null) and one
    boolean per `HEADER_FLAGS`; `private()` adds `text` (`raw` with public identifiers blanked),
    which only the families reading non-public cells need.
    """

    cells: pl.DataFrame
    own_domains: tuple[str, ...] = ()
    k: int = 3
    today: date = field(default_factory=date.today)

    def private(self) -> pl.DataFrame:
        """The cells that are not public identifiers, with their `text`."""
        return self._private

    @cached_property
    def _private(self) -> pl.DataFrame:
        """Made once for every family."""
        private = self.cells.filter(~pl.col("public"))
        return private.with_columns(blank_public_spans(pl.col("raw")).alias("text"))

    def suspects(self) -> pl.DataFrame:
        """The private cells holding a match of one of the patterns gathered in `_SUSPECT`."""
        return self._suspects

    @cached_property
    def _suspects(self) -> pl.DataFrame:
        """Made once: each value is read once for these families, whose own expressions then
        run only on the few values that match."""
        if self._private.is_empty():
            return self._private
        return self._private.filter(pl.col("text").str.contains(_SUSPECT))


def header_flags(headers: list[str]) -> pl.DataFrame:
    """One line per header: what its words say (`HEADER_FLAGS`), decided once per table."""
    first_name_column = any(header_says(h, "first_name") for h in headers)
    aggregated = any(header_says(h, "count") and header_says(h, "people") for h in headers)
    rows = []
    for header in headers:
        tokens = header_tokens(header)
        first_name = header_says(header, "first_name")
        thing = header_says(header, "thing")
        bare = tokens in (("nom",), ("name",), ("libelle",)) and not first_name_column
        person = header_says(header, "person") and not thing and "sans" not in tokens
        rows.append(
            {
                "column": header,
                "role": header_says(header, "role")
                or (aggregated and first_name),  # first names counted per year: statistics
                "thing": thing or bare,
                "bare_name": bare,
                "person": person,
                "first_name": first_name,
                "lone_word": first_name or (header_says(header, "last_name") and first_name_column),
                "birth": header_says(header, "birth"),
                "nir": header_says(header, "nir"),
                "phone_personal": header_says(header, "phone_personal"),
                "plate": header_says(header, "plate"),
                "owner": header_says(header, "owner"),
                "coordinate": header_says(header, "latitude") or header_says(header, "longitude"),
                "coordinate_pair": any(token in _GEO_HEADER for token in tokens),
                "home": any(token in _HOME_HEADER for token in tokens)
                or ("adresse" in tokens and person and "nom" not in tokens),
                "counts_people": header_says(header, "count")
                and (header_says(header, "people") or aggregated),
                "identifier": next(
                    (kind for kind in _IDENTIFIERS if header_says(header, kind)), None
                ),
            }
        )
    schema = {
        "column": pl.String,
        **dict.fromkeys(HEADER_FLAGS, pl.Boolean),
        "identifier": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def may_hold(raw: pl.Expr, headers: pl.DataFrame) -> pl.Expr:
    """Whether a value (`raw`, in the column `column`) may hold anything a family looks for,
    tested once before any family runs: every family needs a letter or an @ in the value
    (names, e-mails, addresses, IBANs, plates, parcels, words), ten digits in a row
    (NIR, phone numbers; separators allowed) or a header that reads numbers (`NUMBER_FLAGS`,
    identifiers). Amounts, dates, counts and short codes elsewhere are left out."""
    reads_numbers = headers.filter(
        pl.any_horizontal(NUMBER_FLAGS) | pl.col("identifier").is_not_null()
    ).get_column("column")
    return raw.str.contains(_MAY_HOLD) | pl.col("column").is_in(reads_numbers.implode())


Detector = Callable[[Cells], pl.DataFrame]

NO_HITS = pl.DataFrame(
    schema={"_cell": pl.UInt32, "match": pl.String, "detail": pl.String, "strength": pl.String}
)
"""What a family returns when it finds nothing. Families return it as soon as nothing is left
to look at: polars compiles a pattern even for an empty column, and compiling the patterns
of every family on each batch costs more than reading a small file (its cache of compiled
patterns holds fewer than the families use)."""


def _hits(frame: pl.DataFrame, detail: str | pl.Expr, strength: Strength | pl.Expr) -> pl.DataFrame:
    if frame.is_empty():
        return NO_HITS
    detail_expr = pl.lit(detail) if isinstance(detail, str) else detail
    strength_expr = pl.lit(strength.value) if isinstance(strength, Strength) else strength
    return frame.select(
        pl.col("_cell").cast(pl.UInt32),
        pl.col("match").cast(pl.String),
        detail_expr.cast(pl.String).alias("detail"),
        strength_expr.cast(pl.String).alias("strength"),
    )


def _when(flag: str, then: Strength, otherwise: Strength) -> pl.Expr:
    return pl.when(pl.col(flag)).then(pl.lit(then.value)).otherwise(pl.lit(otherwise.value))


def _candidates(cells: pl.DataFrame, pattern: str, source: str = "text") -> pl.DataFrame:
    """Every match of `pattern` in the cells, one line each, with the cells' other columns.

    The cells that hold no match are left out first: testing a value costs less than listing
    its matches, and the listed ones are then few."""
    holding = cells.filter(pl.col(source).str.contains(pattern)) if cells.height else cells
    if holding.is_empty():
        return holding.with_columns(pl.lit(None, dtype=pl.String).alias("match"))
    return (
        holding.with_columns(pl.col(source).str.extract_all(pattern).alias("match"))
        .explode("match")
        .drop_nulls("match")
    )


def _validated(
    candidates: pl.DataFrame, key: pl.Expr, check: Callable[[str], bool]
) -> pl.DataFrame:
    """Keep the candidates whose `key` passes `check`, calling `check` once per distinct key."""
    if candidates.is_empty():
        return candidates.with_columns(pl.lit(None, dtype=pl.String).alias("_key"))
    keyed = candidates.with_columns(key.alias("_key"))
    distinct = keyed.get_column("_key").drop_nulls().unique().to_list()
    valid = [value for value in distinct if check(value)]
    return keyed.filter(pl.col("_key").is_in(valid))


# --- NIR -------------------------------------------------------------------------------------

_NIR_CANDIDATE = r"(?-u:\b)[1-478](?:[ .]?[0-9AB]){12}(?:[ .]?\d{2})?(?-u:\b)"
_NIR_SHAPE = r"^[1-478]\d{2}(?:0[1-9]|1[0-2]|[2-4]\d|[5-9]\d)(?:\d{2}|2[AB])\d{6}(?:\d{2})?$"


def nir(cells: Cells) -> pl.DataFrame:
    """Social security numbers: 15 characters with a valid key (2A → 19, 2B → 18, checked by
    python-stdnum) and a possible month; the 13-character form only under a NIR header."""
    found = _candidates(cells.suspects(), _NIR_CANDIDATE)
    if found.is_empty():
        return NO_HITS
    found = found.with_columns(compact(pl.col("match")).alias("_c"))
    found = found.filter(pl.col("_c").str.contains(_NIR_SHAPE))
    complete = found.filter(pl.col("_c").str.len_chars() == 15)
    keyed = _validated(complete, pl.col("_c"), valid_nir).drop("_key")
    short = found.filter((pl.col("_c").str.len_chars() == 13) & pl.col("nir"))
    detail = pl.when(pl.col("_c").str.len_chars() == 15).then(pl.lit(N_("clé de contrôle valide")))
    detail = detail.otherwise(pl.lit(N_("13 chiffres sous un en-tête de NIR")))
    return _hits(pl.concat([keyed, short]), detail, Strength.DIRECT)


# --- IBAN ------------------------------------------------------------------------------------

_IBAN_CANDIDATE = r"(?i)(?-u:\b)[A-Z]{2}\d{2}(?:[ ]?[0-9A-Z]{4}){2,7}(?:[ ]?[0-9A-Z]{1,4})?(?-u:\b)"


def iban(cells: Cells) -> pl.DataFrame:
    """Bank account numbers passing ISO 7064 mod 97 (python-stdnum, FR RIB key included)."""
    found = _validated(
        _candidates(cells.suspects(), _IBAN_CANDIDATE), compact(pl.col("match")), valid_iban
    )
    return _hits(found, N_("clé IBAN valide"), Strength.DIRECT_IF_PERSON)


# --- E-mail ----------------------------------------------------------------------------------

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_OBFUSCATED_AT = r"(?i)\s?[(\[]\s?(?:at|arobase)\s?[)\]]\s?"
"""« jean.dupont(at)gmail.com », « jean.dupont [arobase] free.fr »."""
_PERSON_LOCAL_PART = r"^[a-z][a-z'-]*[._][a-z][a-z'-]+\d*$"
PERSONAL_WEBMAIL = N_("messagerie grand public")
PERSONAL_NOMINATIVE = N_("adresse nominative prénom.nom")
AGENT_NOMINATIVE = N_("adresse nominative d'un agent public")


def email_kind(address: pl.Expr, own_domains: tuple[str, ...]) -> pl.Expr:
    """Why an address is personal (French), or null when it is a functional mailbox.

    Consumer webmail under a non-functional mailbox, or « prénom.nom » on a private domain:
    personal. « prénom.nom » on the commune's or a public body's domain: an agent's address.
    """
    lowered = address.str.to_lowercase()
    local = lowered.str.extract(r"^([^@]+)@", 1)
    domain = lowered.str.extract(r"@(.+)$", 1)
    # the first word, and what follows its separator (null when none follows)
    parts = local.str.extract_groups(r"^([^._-]+)(?:[._-](.*)$)?").struct
    first, rest = parts.field("1"), parts.field("2")
    separated = rest.str.contains_any([".", "_"])
    functional = (first.is_in(FUNCTIONAL_MAILBOXES) | local.is_in(FUNCTIONAL_MAILBOXES)) & (
        rest.is_null() | ~separated
    )
    institutional = pl.lit(False)
    for public in (*own_domains, *PUBLIC_DOMAINS):
        institutional = institutional | (domain == public) | domain.str.ends_with("." + public)
    nominative = local.str.contains(_PERSON_LOCAL_PART)
    return (
        pl.when(functional)
        .then(pl.lit(None, dtype=pl.String))
        .when(domain.is_in(WEBMAIL_DOMAINS))
        .then(pl.lit(PERSONAL_WEBMAIL))
        .when(nominative & institutional)
        .then(pl.lit(AGENT_NOMINATIVE))
        .when(nominative)
        .then(pl.lit(PERSONAL_NOMINATIVE))
    )


def email(cells: Cells) -> pl.DataFrame:
    """Personal mailboxes block; agents' nominative addresses are to review."""
    # an address needs an @, written or in brackets
    raw = pl.col("raw")
    readable = cells.cells.filter(raw.str.contains_any(["@", "(", "["]))
    if readable.is_empty():
        return NO_HITS
    if not readable.filter(raw.str.contains_any(["(", "["])).is_empty():  # « (at) », « [at] »
        readable = readable.with_columns(raw.str.replace_all(_OBFUSCATED_AT, "@"))
    found = _candidates(readable, EMAIL, source="raw")
    if found.is_empty():
        return NO_HITS
    found = found.with_columns(email_kind(pl.col("match"), cells.own_domains).alias("kind"))
    found = found.drop_nulls("kind")
    agent = pl.col("kind") == AGENT_NOMINATIVE
    strength = (
        pl.when(agent).then(pl.lit(Strength.REVIEW.value)).otherwise(pl.lit(Strength.DIRECT.value))
    )
    return _hits(found, pl.col("kind"), strength)


# --- Phone -----------------------------------------------------------------------------------

_PHONE_CANDIDATE = (
    r"(?:(?:\+|(?-u:\b)00)\s?(?:33|262|590|594|596)\s?(?:\(0\)\s?)?|(?-u:\b)0)[1-9](?:[\s.\-]?\d{2}){4}(?-u:\b)|"
    r"(?i:(?-u:\b)t[ée]l\.?|(?-u:\b)portable|(?-u:\b)mobile)\s*:?\s*[67](?:[\s.\-]?\d{2}){4}(?-u:\b)"
)
"""International or national numbers, and « tél 6 12 34 56 78 » where the 0 was dropped."""
_MOBILE = N_("numéro de mobile")
_LANDLINE = N_("ligne fixe")


def _phone_kind(normalised: str) -> str | None:
    """Mobile, fixed line, or None for invalid and service numbers (phonenumbers)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(normalised, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return _MOBILE
    if kind in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.VOIP,
    ):
        return _LANDLINE
    return None  # 08 service numbers, premium rate: never a person's line


FEW_NUMBERS = 200
"""Up to this many distinct blocks of numbers, phonenumbers parses them (a millisecond or
two in all); beyond, the numbering plans run as polars expressions (`phone_kinds`)."""
_PLAN_CODES = ("33", "262", "590", "594", "596")
_IN_PLAN = rf"^(?:0|\+({'|'.join(_PLAN_CODES)}))([1-9]\d{{8}})$"
"""The numbers `_PHONE_CANDIDATE` yields: national (0 + 9 digits) or +33 and the overseas
codes + 9 digits. Others (rare) are left to phonenumbers itself."""


def phone_kinds(numbers: pl.Series) -> pl.Series:
    """`_phone_kind` of each number, as polars expressions: the numbering plans'
    patterns are phonenumbers' own metadata, applied as phonenumbers applies them (the type
    under the first region of the calling code whose patterns know the number), so the
    numbers are not parsed one by one; numbers outside these plans go to phonenumbers."""
    distinct = (
        pl.DataFrame({"number": numbers}, schema={"number": pl.String})
        .unique()
        .with_columns(
            pl.col("number").str.extract(_IN_PLAN, 1).fill_null("33").alias("_code"),
            pl.col("number").str.extract(_IN_PLAN, 2).alias("_national"),
        )
    )
    national = pl.col("_national")
    planned = [
        distinct.filter(national.is_not_null() & (pl.col("_code") == code)).select(
            "number", _plan_kind(national, code).alias("kind")
        )
        for code in _PLAN_CODES
    ]
    others = distinct.filter(national.is_null()).get_column("number")
    parsed = pl.DataFrame(
        {"number": others, "kind": [_phone_kind(number) for number in others]},
        schema={"number": pl.String, "kind": pl.String},
    )
    kinds = pl.concat([*planned, parsed])
    return (
        pl.DataFrame({"number": numbers}, schema={"number": pl.String})
        .join(kinds, on="number", how="left", maintain_order="left")
        .get_column("kind")
    )


def _plan_kind(national: pl.Expr, calling_code: str) -> pl.Expr:
    """The kind of line of a national number, for the first region of `calling_code` that
    knows it (phonenumbers' `_region_code_for_number_from_list` then `_number_type_helper`)."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    kinds = [
        _region_kind(national, PhoneMetadata.metadata_for_region(region))
        for region in COUNTRY_CODE_TO_REGION_CODE[int(calling_code)]
    ]
    return pl.coalesce(kinds).replace({"": None})


def _region_kind(national: pl.Expr, metadata: Any) -> pl.Expr:
    """`_number_type_helper` as an expression: null when unknown, "" for a valid number that
    is no one's line (service, premium, shared cost…), else mobile or landline."""

    def matches(desc: Any) -> pl.Expr:
        if desc is None or not desc.national_number_pattern:
            return pl.lit(False)
        found = national.str.contains(f"^(?:{desc.national_number_pattern})$")
        if desc.possible_length:
            found = found & national.str.len_chars().is_in(list(desc.possible_length))
        return found

    mobile = matches(metadata.mobile)
    if metadata.same_mobile_and_fixed_line_pattern:
        mobile = pl.lit(False)
    service = pl.lit(False)
    for desc in (metadata.premium_rate, metadata.toll_free, metadata.shared_cost):
        service = service | matches(desc)
    other = pl.lit(False)
    for desc in (metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail):
        other = other | matches(desc)
    return (
        pl.when(~matches(metadata.general_desc))
        .then(pl.lit(None, dtype=pl.String))
        .when(service)
        .then(pl.lit(""))
        .when(matches(metadata.voip))
        .then(pl.lit(_LANDLINE))
        .when(other)
        .then(pl.lit(""))
        .when(matches(metadata.fixed_line))
        .then(pl.lit(_LANDLINE))
        .when(mobile)
        .then(pl.lit(_MOBILE))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def plan_prefix(number: pl.Expr) -> pl.Expr:
    """The number (digits after an optional +) with its last three digits set to 0: the French
    and overseas numbering plans decide the kind of line from the leading digits, so
    phonenumbers runs once per block of a thousand numbers instead of once per number (a test
    checks both agree)."""
    return number.str.head(-3) + pl.lit("000")


def _with_phone_key(found: pl.DataFrame) -> pl.DataFrame:
    """`found` with `_key`, each `match` as the number phonenumbers reads: digits after an
    optional +. The patterns for « tél 6 12… » and « +33 (0)6… » are compiled only when such
    a match is there."""
    match = pl.col("match")
    key = pl.when(match.str.starts_with("00")).then(pl.lit("+") + match.str.slice(2))
    key = key.otherwise(match)
    if not found.select((match.str.starts_with("0") | match.str.starts_with("+")).all()).item():
        key = key.str.replace(r"^(?i:t[ée]l\.?|portable|mobile)\s*:?\s*", "0")
    found = found.with_columns(key.str.replace_all(r"[^\d+]", "").alias("_key"))
    if found.select(pl.col("_key").str.starts_with("+").any()).item():  # « +33 (0)6… »
        found = found.with_columns(pl.col("_key").str.replace(r"^\+(\d+)0(\d{9})$", "+${1}${2}"))
    return found


def phone(cells: Cells) -> pl.DataFrame:
    """French and overseas numbers valid in the numbering plan (phonenumbers, once per
    distinct number); mobiles weigh more than landlines, and a landline counts only beside a
    person (switchboards of the mairie and its equipment are public)."""
    # every number written holds nine digits apart by one separator at most
    digits = cells.private().filter(pl.col("text").str.contains(r"\d(?:[\s.\-]?\d){8}"))
    found = _candidates(digits, _PHONE_CANDIDATE)
    if found.is_empty():
        return NO_HITS
    found = _with_phone_key(found)
    found = found.with_columns(plan_prefix(pl.col("_key")).alias("_plan"))
    distinct = found.get_column("_plan").unique()
    if distinct.len() <= FEW_NUMBERS:  # compiling the plans' patterns costs more than parsing
        kinds = pl.DataFrame(
            {"_plan": distinct, "kind": [_phone_kind(plan) for plan in distinct]},
            schema={"_plan": pl.String, "kind": pl.String},
        )
    else:
        kinds = pl.DataFrame({"_plan": distinct, "kind": phone_kinds(distinct)})
    found = found.join(kinds, on="_plan", maintain_order="left").drop_nulls("kind")
    mobile = pl.col("kind") == _MOBILE
    strength = (
        pl.when(pl.col("phone_personal"))
        .then(pl.lit(Strength.DIRECT.value))
        .when(mobile)
        .then(pl.lit(Strength.DIRECT_IF_PERSON.value))
        .otherwise(pl.lit(Strength.REVIEW_IF_PERSON.value))
    )
    return _hits(found, pl.col("kind"), strength)


# --- Names -----------------------------------------------------------------------------------


def name(cells: Cells) -> pl.DataFrame:
    """Two signals: civility + name, first name + surname, or person header + person value.

    Columns of public roles (elected officials and acts' authors, named by law) and counted
    first names (statistics) are left out; in columns naming things (a station, an equipment,
    a town) places named after someone are the rule, so only a civility counts there, and a
    bare « nom » column without a first-name column needs the registry form « GARNIER
    Sophie » (a car park « Camille Jullian » is not a person).
    """
    private = cells.private().filter(~pl.col("role"))
    others = private.filter(~pl.col("person"))  # a person column is read whole
    if not others.is_empty():
        others = others.filter(may_name(pl.col("text")))
    named = pl.col("_cell").is_in(others.get_column("_cell").implode())
    text = private.filter(pl.col("person") | named)
    if text.is_empty():
        return NO_HITS
    text = text.with_columns(blank_public_names(pl.col("text")).alias("text"))
    found = pl.concat(
        [
            text.select("_cell", civility_names(pl.col("text")).alias("match")).drop_nulls(),
            dictionary_names(text.filter(~pl.col("thing")).select("_cell", "text")),
            person_shaped(
                text.filter(pl.col("person")).select("_cell", "text", "lone_word", "bare_name")
            ),
        ]
    ).unique("_cell", keep="first", maintain_order=True)
    return _hits(found, N_("deux indices concordants"), Strength.DIRECT)


# --- Birth date ------------------------------------------------------------------------------

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)
_DATE = (
    rf"(?-u:\b)(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}(?:er)?\s+(?i:{_MONTHS})\s+(?:19|20)\d{{2}})(?-u:\b)"
)
_BORN_ON = rf"(?i:(?-u:\b)n[ée]e?\s+le|date\s+de\s+naissance\s*:?)\s+{_DATE}"


def birth_date(cells: Cells) -> pl.DataFrame:
    """Dates under a birth header, or after « né(e) le » in free text; years 1900–today."""
    private = cells.suspects()
    found = pl.concat(
        [
            _candidates(private.filter(pl.col("birth")), _DATE),
            _candidates(private.filter(~pl.col("birth")), _BORN_ON),
        ]
    )
    if found.is_empty():
        return NO_HITS
    found = found.with_columns(pl.col("match").str.extract(f"({_DATE})", 1)).filter(
        pl.col("match").str.extract(r"((?:19|20)\d{2})", 1).cast(pl.Int32) <= cells.today.year
    )
    detail = pl.when(pl.col("birth")).then(pl.lit(N_("sous un en-tête de naissance")))
    return _hits(found, detail.otherwise(pl.lit(N_("après « né le »"))), Strength.DIRECT)


# --- Address ---------------------------------------------------------------------------------

_STREET_TYPES = (
    "rue|avenue|av\\.|boulevard|bd|allée|allee|impasse|chemin|place|route|cours|quai|résidence|"
    "residence|lieu-dit|square|passage|cité|cite|hameau|sentier|voie|esplanade|rond-point"
)
_ADDRESS = (
    rf"(?-u:\b)\d{{1,4}}(?:\s?(?i:bis|ter|quater|[a-d]))?,?\s+(?i:{_STREET_TYPES})\s+"
    r"[^,;\n∅]{2,60}"
)


def address(cells: Cells) -> pl.DataFrame:
    """Number + street type + street: an individual's address only beside a person (the
    addresses of public places, car parks, trees and the BAL are reference data)."""
    found = _candidates(cells.suspects(), _ADDRESS)
    return _hits(found, N_("adresse postale"), _when("home", Strength.DIRECT, Strength.IF_PERSON))


# --- Licence plate ---------------------------------------------------------------------------

_SIV = r"(?-u:\b)[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}(?-u:\b)"
_FNI = r"(?-u:\b)\d{1,4}\s?[A-Z]{1,3}\s?(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?-u:\b)"
_PLATE_WORDS = r"(?i)immatricul|plaque|véhicule|vehicule|voiture"


def plate(cells: Cells) -> pl.DataFrame:
    """SIV plates (AB-123-CD) with a vehicle word in the header or the cell; the old FNI
    format only under a plate header (product codes share these shapes)."""
    private = cells.suspects()
    context = private.filter(pl.col("plate") | pl.col("text").str.contains(_PLATE_WORDS))
    found = pl.concat(
        [_candidates(context, _SIV), _candidates(private.filter(pl.col("plate")), _FNI)]
    ).unique("_cell", keep="first", maintain_order=True)
    return _hits(found, N_("plaque d'immatriculation"), Strength.REVIEW)


# --- Cadastral parcel ------------------------------------------------------------------------

_PARCEL = (
    r"(?-u:\b)(?:\d{5}|2[AB]\d{3})\d{3}(?:[A-Z]{2}|0[A-Z])\d{4}(?-u:\b)|"
    r"(?i:section)\s+[A-Z]{1,2}\s*(?i:n°|no|numéro|numero|n)\s*\.?\s*\d{1,4}"
)


def parcel(cells: Cells) -> pl.DataFrame:
    """Parcel ids are reference data (PCI); beside an owner they tell who owns what."""
    found = _candidates(cells.suspects(), _PARCEL)
    return _hits(
        found, "parcelle cadastrale", _when("owner", Strength.REVIEW, Strength.REVIEW_IF_PERSON)
    )


# --- Precise location ------------------------------------------------------------------------

_PRECISE = r"^\s*-?\d{1,3}[.,]\d{4,}\s*$"
_PRECISE_PAIR = r"-?\d{1,3}[.,]\d{4,}\s*[,;]\s*-?\d{1,3}[.,]\d{4,}"


def geolocation(cells: Cells) -> pl.DataFrame:
    """Coordinates to four decimals (about 10 m): someone's home when the row is a person.

    Read on the raw cells: the whitelist takes plain decimal numbers out of the other families.
    """
    raw = pl.col("raw")
    under_header = cells.cells.filter(pl.col("coordinate") | pl.col("coordinate_pair"))
    if under_header.is_empty():
        return NO_HITS
    found = under_header.filter(
        (pl.col("coordinate") & raw.str.contains(_PRECISE))
        | (pl.col("coordinate_pair") & raw.str.contains(_PRECISE_PAIR))
    )
    return _hits(
        found.rename({"raw": "match"}), N_("coordonnées précises"), Strength.REVIEW_IF_PERSON
    )


# --- Other personal identifiers --------------------------------------------------------------


def identifier(cells: Cells) -> pl.DataFrame:
    """Passport, tax, student and CAF numbers, only under their header (collisions otherwise)."""
    announced = cells.cells.filter(pl.col("identifier").is_not_null())
    if announced.is_empty():
        return NO_HITS
    frames = [
        _hits(
            _candidates(announced.filter(pl.col("identifier") == kind), pattern, "raw"),
            detail,
            Strength.DIRECT,
        )
        for kind, (pattern, detail) in _IDENTIFIERS.items()
    ]
    return pl.concat(frames)


# --- Sensitive categories --------------------------------------------------------------------


_SENSITIVE_CATEGORY = "(?i)" + "|".join(
    f"(?P<c{index}>{pattern})" for index, pattern in enumerate(SENSITIVE_TERMS.values())
)
"""Every category's words in one pattern, each category in its named group `c<index>`: one
pattern finds the words and says their category (a compiled pattern per category would be
compiled again on every batch)."""


def sensitive(cells: Cells) -> pl.DataFrame:
    """RGPD art. 9/10 words; they matter only in a row that names a person. A value holding
    words of several categories is told under the first one of `SENSITIVE_TERMS`."""
    text = pl.col("text")
    suspects = cells.suspects().filter(text.str.contains(_SENSITIVE_CATEGORY))
    if suspects.is_empty():
        return NO_HITS
    words = suspects.select("_cell", text.str.extract_all(_SENSITIVE_CATEGORY).alias("word"))
    words = words.explode("word")
    distinct = words.get_column("word").unique()
    labels = list(SENSITIVE_TERMS)
    groups = distinct.str.extract_groups(_SENSITIVE_CATEGORY).to_list()  # a few words
    ranks = [
        next((index for index in range(len(labels)) if row[f"c{index}"] is not None), len(labels))
        for row in groups
    ]
    ranked = pl.DataFrame({"word": distinct, "rank": ranks}, schema_overrides={"rank": pl.Int64})
    rank = pl.col("rank")
    found = suspects.join(
        words.join(ranked, on="word").group_by("_cell").agg(rank.min()),
        on="_cell",
        maintain_order="left",
    )
    found = _earlier_categories(found).with_columns(
        rank.replace_strict(range(len(labels)), labels, default=None).alias("match")
    )
    return _hits(found.drop_nulls("match"), pl.col("match"), Strength.IF_PERSON)


def _earlier_categories(found: pl.DataFrame) -> pl.DataFrame:
    """`rank` lowered to the first category whose words the value holds: the words found
    together do not overlap, so a word of an earlier category inside a later one's
    (« sant(e) » in « sympathisante ») is looked for by that category's own pattern, in the
    few values ranked after it."""
    rank = pl.col("rank")
    for index, pattern in enumerate(SENSITIVE_TERMS.values()):
        later = found.filter(rank > index)
        if later.is_empty():
            break
        holding = later.filter(pl.col("text").str.contains(f"(?i){pattern}")).get_column("_cell")
        found = found.with_columns(
            pl.when(pl.col("_cell").is_in(holding.implode()))
            .then(pl.min_horizontal(rank, pl.lit(index)))
            .otherwise(rank)
            .alias("rank")
        )
    return found


# --- Small counts ----------------------------------------------------------------------------


def small_count(cells: Cells) -> pl.DataFrame:
    """Counts of people below k (default 3) in an aggregated table single someone out.

    Read on the raw cells: a count is a plain number, which the whitelist sets aside.
    """
    counts = cells.cells.filter(pl.col("counts_people"))
    if counts.is_empty():
        return NO_HITS
    value = pl.col("raw").str.strip_chars().cast(pl.Int64, strict=False)
    found = counts.filter((value >= 1) & (value < cells.k))
    return _hits(found.rename({"raw": "match"}), f"effectif inférieur à {cells.k}", Strength.REVIEW)


DETECTORS: dict[Family, Detector] = {
    Family.NIR: nir,
    Family.IBAN: iban,
    Family.EMAIL: email,
    Family.PHONE: phone,
    Family.NAME: name,
    Family.BIRTH_DATE: birth_date,
    Family.ADDRESS: address,
    Family.PLATE: plate,
    Family.PARCEL: parcel,
    Family.GEOLOCATION: geolocation,
    Family.IDENTIFIER: identifier,
    Family.SENSITIVE: sensitive,
    Family.SMALL_COUNT: small_count,
}
"""Every family, in the order findings are listed."""


_SUSPECT = "|".join(
    f"(?:{pattern})"
    for pattern in (
        _NIR_CANDIDATE,
        _IBAN_CANDIDATE,
        _DATE,  # in `_BORN_ON` too
        _ADDRESS,
        _SIV,
        _FNI,
        _PARCEL,
        _SENSITIVE_CATEGORY,
    )
)
"""The patterns without which the NIR, IBAN, birth date, address, plate, parcel and sensitive
families find nothing, in one (see `Cells.suspects`)."""


def detect(cells: Cells) -> pl.DataFrame:
    """Every family's candidates, with their `family`."""
    return pl.concat(
        DETECTORS[family](cells).with_columns(pl.lit(family.value).alias("family"))
        for family in DETECTORS
    )
