"""Keep the English catalog in step with the code: extract, merge, compile, list gaps.

Strings come from three places: `_()`, `N_()` and `count()` calls in the Python sources and
the report templates, and the titles, messages and fixes of the code catalogue (keyed by
their French text). Run after adding or changing French wording:

    python -m publisher.i18n extract       # update publisher.pot, merge it into each .po
    python -m publisher.i18n untranslated  # what still needs an English text (exit 1 if any)
    python -m publisher.i18n compile       # write the .mo that publisher loads
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from publisher.i18n import DOMAIN, LOCALE_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
TRANSLATED = ("en",)
KEYWORDS = {**DEFAULT_KEYWORDS, "count": (2, 3)}
_METHODS = [("**/templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
_OPTIONS = {"**/templates/**.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract() -> Catalog:
    """Every French string publisher can show, with where it comes from."""
    from publisher.codes import CODES
    from publisher.findings import Severity

    template = Catalog(project="publisher", domain=DOMAIN, fuzzy=False)
    found = extract_from_dir(
        PACKAGE_DIR, _METHODS, options_map=_OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, line, message, comments, context in found:
        template.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    for code in CODES.values():
        for text in (code.title, code.message, code.hint):
            template.add(text, locations=[(f"code {code.code}", None)])
    for severity in Severity:
        template.add(severity.label, locations=[("findings.py", None)])
    return template


def _read(path: Path, language: str) -> Catalog:
    if not path.is_file():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def update() -> None:
    """Write the template and merge it into each translation, keeping what is translated."""
    template = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as stream:
        write_po(stream, template, width=100, omit_header=False, sort_output=False)
    for language in TRANSLATED:
        catalog = _read(po_path(language), language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        po_path(language).parent.mkdir(parents=True, exist_ok=True)
        with po_path(language).open("wb") as stream:
            write_po(stream, catalog, width=100, ignore_obsolete=True)


def compile_all() -> None:
    for language in TRANSLATED:
        catalog = _read(po_path(language), language)
        with mo_path(language).open("wb") as stream:
            write_mo(stream, catalog)


def untranslated(language: str = "en") -> list[str]:
    """French strings of the current code that the language's catalog does not translate."""
    catalog = _read(po_path(language), language)
    missing = []
    for message in extract():
        if not message.id:
            continue
        known = catalog.get(message.id, message.context)
        strings = known.string if known is not None else None
        filled = all(strings) if isinstance(strings, tuple) else bool(strings)
        if known is None or known.fuzzy or not filled:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def compiled_matches_sources(language: str = "en") -> bool:
    """True when the committed .mo holds exactly the translations of the .po."""
    with mo_path(language).open("rb") as stream:
        compiled = read_mo(stream)
    source = _read(po_path(language), language)

    def pairs(catalog: Catalog) -> dict[object, object]:
        def key(value: object) -> object:
            return tuple(value) if isinstance(value, list | tuple) else value

        return {
            key(m.id): key(m.string)
            for m in catalog
            if m.id and any(key(m.string) or ()) and not m.fuzzy
        }

    return pairs(compiled) == pairs(source)
