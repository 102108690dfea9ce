"""Masking: a personal value never leaves the scanner, a report or a terminal in clear.

Each family keeps just enough to let an officer find the cell again (`1 85 05 •• ••• ••• 42`,
`j•••@gmail.com`, `06 •• •• •• 78`), never enough to identify the person. `mask_text` masks
every identifier it recognises inside any text, so a value shown by another check (a schema
error on a cell that happens to hold a phone number) is masked too.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import islice

from publisher.privacy.lexicon import strip_accents, word_list

DOT = "•"

_EMAIL = (
    r"(?i)([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*"
    r"(@|\s?[(\[]\s?(?:at|arobase)\s?[)\]]\s?)([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
_NIR = r"(?<![\w])[1-478](?:[ .]?[0-9AB]){12}(?:[ .]?\d{2})?(?![\w])"
_IBAN = r"(?i)(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[0-9A-Z]{4}){2,7}(?:[ ]?[0-9A-Z]{1,4})?(?![\w])"
_PHONE = (
    r"(?i)(?<![\w+])(?:(?:\+|00)\s?(?:33|262|590|594|596)\s?(?:\(0\)\s?)?|0)[1-9]"
    r"(?:[\s.\-]?\d{2}){4}(?![\w])|(?<=t[ée]l )[67](?:[\s.\-]?\d{2}){4}(?![\w])"
)
_CIVILITY_NAME = (
    r"\b(M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Maître|Dr|Docteur)\s+"
    r"([^\W\d_][\w'’-]*)((?:\s+[^\W\d_][\w'’-]*)?)"
)
_OBFUSCATED_AT = r"(?i)[(\[]\s?(?:at|arobase)\s?[)\]]"
_DIGIT = r"\d"
_CIVILITIES = ("M.", "Mme", "Mlle", "Monsieur", "Madame", "Mademoiselle", "Maître", "Dr", "Docteur")
"""Every civility of `_CIVILITY_NAME` holds one of these (« MM. » holds « M. »)."""
_WORD_PAIR = r"\b([^\W\d_][\w'’-]+)(\s+)([^\W\d_][\w'’-]+)"
_BIRTH = r"(?i)\b(n[ée]e?\s+le\s+)(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2})"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """One of the patterns above, compiled at its first use: checking a clean file shows no
    text to mask, and compiling them all would cost each start a few milliseconds."""
    return re.compile(pattern)


def compact(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text).upper()


def mask_email(text: str) -> str:
    """Hide the local part of every e-mail address: `j•••@gmail.com`."""
    return _compiled(_EMAIL).sub(lambda m: f"{m.group(1)}{DOT * 3}@{m.group(3)}", text)


def mask_nir(value: str) -> str:
    """`1 85 05 •• ••• ••• 42`: sex, year and month of birth kept, key kept."""
    nir = compact(value)
    if len(nir) < 13:
        return DOT * 3
    key = nir[13:15] if len(nir) >= 15 else DOT * 2
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {DOT * 2} {DOT * 3} {DOT * 3} {key}"


def mask_iban(value: str) -> str:
    """`FR76 •••• •••• … •89`: country and check digits, last two characters."""
    iban = compact(value)
    return f"{iban[:4]} {DOT * 4} {DOT * 4} … {DOT}{iban[-2:]}"


def mask_phone(value: str) -> str:
    """`06 •• •• •• 78` or `+33 6 •• •• •• 78`: the kind of line and the last two digits."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 9:  # « tél 6 12 34 56 78 », its 0 dropped
        digits = "0" + digits
    if value.strip().startswith(("+", "00")):
        country = digits[2:5] if digits.startswith("00") else digits[:3]
        country = country[:2] if country.startswith("33") else country
        return f"+{country} {digits[len(digits) - 9]} {DOT * 2} {DOT * 2} {DOT * 2} {digits[-2:]}"
    return f"{digits[:2]} {DOT * 2} {DOT * 2} {DOT * 2} {digits[-2:]}"


def mask_words(value: str) -> str:
    """`S••• G•••`: the initial of each word (names, addresses)."""
    return " ".join(
        word if len(word) <= 1 or not word[0].isalnum() else word[0] + DOT * 3
        for word in value.split()
    )


def mask_date(value: str) -> str:
    """`••/••/1985`: the year only."""
    year = re.search(r"(?:18|19|20)\d{2}", value)
    return f"{DOT * 2}/{DOT * 2}/{year.group(0) if year else DOT * 4}"


def mask_digits(value: str) -> str:
    """Every digit hidden but the last two: `••/••/••85`, `••-•••-••`."""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    keep = set(digits[-2:])
    return "".join(
        DOT if (c.isdigit() and i not in keep) or (c.isalpha() and i > 0) else c
        for i, c in enumerate(value)
    )


def mask_identifier(value: str) -> str:
    """Two first and two last characters: `12•••89`."""
    text = value.strip()
    return text[:2] + DOT * 3 + text[-2:] if len(text) > 5 else DOT * 3


def mask_coordinate(value: str) -> str:
    """A coordinate cut to two decimals (about 1 km): `44.80…`."""
    match = re.match(r"\s*(-?\d+[.,]\d{0,2})", value)
    return (match.group(1) + "…") if match else DOT * 3


@lru_cache(maxsize=8192)  # fix hints and quoted values repeat from one finding to the next
def mask_text(text: str) -> str:
    """Mask every identifier recognised in free text: e-mails, key-valid NIRs and IBANs,
    phone numbers, civility + name, « né le » dates.

    Every finding's message goes through here: a pattern runs only on a text holding what it
    cannot match without (an @ or an obfuscated one, a digit, a civility, two capitals)."""
    if "@" in text or _compiled(_OBFUSCATED_AT).search(text):
        text = mask_email(text)
    if _compiled(_DIGIT).search(text):
        text = _compiled(_NIR).sub(
            lambda m: mask_nir(m.group(0)) if valid_nir(m.group(0)) else m.group(0), text
        )
        text = _compiled(_IBAN).sub(
            lambda m: mask_iban(m.group(0)) if valid_iban(m.group(0)) else m.group(0), text
        )
        text = _compiled(_PHONE).sub(lambda m: mask_phone(m.group(0)), text)
    if any(civility in text for civility in _CIVILITIES):
        text = _compiled(_CIVILITY_NAME).sub(
            lambda m: f"{m.group(1)} {mask_words(m.group(2) + m.group(3))}", text
        )
    if len(list(islice(filter(str.isupper, text), 2))) == 2:  # a name pair has two capitals
        text = _compiled(_WORD_PAIR).sub(_mask_name_pair, text)
    if _compiled(_DIGIT).search(text):
        text = _compiled(_BIRTH).sub(lambda m: m.group(1) + mask_date(m.group(2)), text)
    return text


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return word_list("prenoms.txt") - word_list("non-prenoms.txt")


def _mask_name_pair(match: re.Match[str]) -> str:
    """« Sophie GARNIER », « GARNIER Sophie »: a first name of the dictionary beside a
    capitalised word. Shown values are short: masking a street named after someone too is
    harmless there."""
    first, space, second = match.groups()
    if not (first[0].isupper() and second[0].isupper()):
        return match.group(0)
    names = _first_names()
    if not any(strip_accents(word).upper().split("-")[0] in names for word in (first, second)):
        return match.group(0)
    return mask_words(first) + space + mask_words(second)


def valid_nir(candidate: str) -> bool:
    """A NIR whose key is right (python-stdnum), spaces and dots aside."""
    from stdnum.fr import nir  # imported on first use: stdnum costs a start-up of its own

    value = compact(candidate)
    return len(value) == 15 and nir.is_valid(value)


def valid_iban(candidate: str) -> bool:
    """An IBAN passing ISO 7064 mod 97 (python-stdnum)."""
    from stdnum import iban

    return iban.is_valid(candidate)
