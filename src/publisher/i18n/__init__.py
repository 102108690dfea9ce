"""Languages: French first, English on request (`--lang en`, `PUBLISHER_LANG` or the locale).

French is the source language: every message is written in French in the code, and the French
text is the key of the English gettext catalog (`locale/en/LC_MESSAGES/publisher.po`, compiled
to `.mo` with Babel). The finding texts of the code catalogue are translated the same way,
keyed by their French template, then filled with the finding's parameters. Anything the
catalog does not know yet stays French, so a code added without its translation still reads
well. `python -m publisher.i18n` extracts new strings, compiles, and lists the untranslated.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "publisher"
CLICK_DOMAIN = "click"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")
_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_THOUSANDS = {"fr": "\u202f", "en": ","}
"""Babel's group separator in each language (a test keeps them equal): whole numbers, the
counts every summary prints, are written without loading Babel's locale data, which costs a
`publisher check` about 50 ms of its start-up."""


def resolve_language(requested: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """The language to speak: the option, else PUBLISHER_LANG, else the locale, else French.

    Only an English locale switches to English: a C or POSIX locale (CI machines) keeps French.
    """
    if requested:
        return requested
    for variable in ("PUBLISHER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "").strip().lower()
        if value:
            return "en" if value.startswith("en") else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


@dataclass(frozen=True)
class Translator:
    """Words, numbers and dates in one language."""

    language: str
    catalog: gettext.NullTranslations

    @property
    def locale(self) -> Locale:
        from babel import Locale  # Babel is imported by the first number or date it formats

        return Locale.parse(_BABEL_LOCALES[self.language])

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Plural by the language's rule (French: 0 and 1 are singular)."""
        if self.language == SOURCE_LANGUAGE:
            return singular if count <= 1 else plural
        return self.catalog.ngettext(singular, plural, count)

    def count(self, count: int, singular: str, plural: str) -> str:
        """`3 bloquants`: the number in local form, then the word in the right plural.

        The words are catalog keys; `%(num)s` in them marks where the number goes.
        """
        text = self.ngettext(singular, plural, count)
        return text % {"num": self.number(count)}

    def template(self, french_template: str, params: Mapping[str, Any]) -> str:
        """A catalogue template translated by its French text, then filled in; a parameter that
        is itself a French fragment marked for the catalog (`N_`) is translated too, while data
        (column names, values) are not catalog keys and stay as they are. Masked like every
        shown text, since a parameter may quote a cell."""
        from publisher.privacy.masking import mask_text  # not needed to start the command line

        translated = self.gettext(french_template)
        if self.language != SOURCE_LANGUAGE:
            params = {
                k: self.gettext(v) if isinstance(v, str) and v else v for k, v in params.items()
            }
        try:
            return mask_text(translated.format(**params))
        except (KeyError, IndexError, ValueError):  # a broken translation: keep the French
            return mask_text(french_template.format(**params))

    def number(self, value: float) -> str:
        if type(value) is int:
            return f"{value:,}".replace(",", _THOUSANDS[self.language])
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def percent(self, ratio: float) -> str:
        from babel.numbers import format_percent

        return format_percent(ratio, locale=self.locale)

    def datetime(self, iso: str) -> str:
        """`1 mars 2026, 14:05` / `1 March 2026, 14:05`, in the time zone of the run."""
        moment = datetime.fromisoformat(iso)
        from babel.dates import format_datetime

        return format_datetime(moment, "d MMMM y, HH:mm", locale=self.locale)


@cache
def translator(language: str = SOURCE_LANGUAGE) -> Translator:
    if language not in LANGUAGES:
        raise ValueError(f"langue non prise en charge : {language}")
    catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    return Translator(language, catalog)


_current: ContextVar[str] = ContextVar("publisher_language", default=SOURCE_LANGUAGE)


def set_language(language: str) -> None:
    """Choose the language of what the command line prints from now on, click's own words
    (« Usage », « Option manquante ») included: click asks the standard `gettext`, so its
    domain is pointed at our French catalog of them."""
    translator(language)  # fail early on an unknown language
    _current.set(language)
    gettext.bindtextdomain(CLICK_DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(CLICK_DOMAIN)
    os.environ["LANGUAGE"] = language


def current() -> Translator:
    return translator(_current.get())


def _(message: str) -> str:
    """Translate a message of the command line into the current language."""
    return current().gettext(message)


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is used."""
    return message


__all__ = [
    "LANGUAGES",
    "N_",
    "SOURCE_LANGUAGE",
    "Translator",
    "_",
    "current",
    "resolve_language",
    "set_language",
    "translator",
]
