"""Keep the catalogs in step with the code: extract, merge, compile, list gaps.

Two domains. `publisher` (French source, English catalog): `_()`, `N_()` and `count()` calls
in the Python sources and the report templates, the titles, messages and fixes of the code
catalogue (keyed by their French text), and the help of every command and option. `click`
(English source, French catalog): the command-line library's own words (« Usage », « Erreur :
option manquante »…), extracted from the installed click. Run after adding or changing wording:

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

from publisher.i18n import CLICK_DOMAIN, DOMAIN, LOCALE_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
TRANSLATED = ("en",)
CLICK_TRANSLATED = ("fr",)
KEYWORDS = {**DEFAULT_KEYWORDS, "count": (2, 3)}
_METHODS = [("**/templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
_OPTIONS = {"**/templates/**.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}}


def po_path(language: str, domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def mo_path(language: str, domain: str = DOMAIN) -> Path:
    return po_path(language, domain).with_suffix(".mo")


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
    for where, text in _command_help():
        template.add(text, locations=[(where, None)])
    return template


def _command_help() -> list[tuple[str, str]]:
    """The help of every command and option, as `publisher … --help` shows it."""
    import click

    from publisher.cli import main
    from publisher.cli.app import LocalisedGroup

    found: list[tuple[str, str]] = []

    def walk(command: click.Command, path: str) -> None:
        if command.help:
            found.append((path, command.help))
        for param in command.params:
            if getattr(param, "help", None) and param.name != "version":  # click's own words
                found.append((f"{path} {param.name}", param.help))
        if isinstance(command, LocalisedGroup):
            for name, sub in command.every_command().items():
                walk(sub, f"{path} {name}")

    walk(main, "publisher")
    return found


def extract_click() -> Catalog:
    """The words of the installed click, to be shown in French."""
    import click

    template = Catalog(project="click", domain=CLICK_DOMAIN, fuzzy=False)
    keywords = {**DEFAULT_KEYWORDS}
    found = extract_from_dir(Path(click.__file__).parent, [("**.py", "python")], keywords=keywords)
    for filename, line, message, comments, context in found:
        template.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    return template


def _read(path: Path, language: str, domain: str = DOMAIN) -> Catalog:
    if not path.is_file():
        return Catalog(locale=language, domain=domain)
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def update() -> None:
    """Write the templates and merge them into each translation, keeping what is translated."""
    for domain, template, languages in (
        (DOMAIN, extract(), TRANSLATED),
        (CLICK_DOMAIN, extract_click(), CLICK_TRANSLATED),
    ):
        if domain == DOMAIN:
            TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
            with TEMPLATE.open("wb") as stream:
                write_po(stream, template, width=100, omit_header=False, sort_output=False)
        for language in languages:
            path = po_path(language, domain)
            catalog = _read(path, language, domain)
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as stream:
                write_po(stream, catalog, width=100, ignore_obsolete=True)


def compile_all() -> None:
    for domain, languages in ((DOMAIN, TRANSLATED), (CLICK_DOMAIN, CLICK_TRANSLATED)):
        for language in languages:
            catalog = _read(po_path(language, domain), language, domain)
            with mo_path(language, domain).open("wb") as stream:
                write_mo(stream, catalog)


def untranslated(language: str = "en") -> list[str]:
    """Strings of the current code that the language's catalog does not translate: the French
    texts of publisher for English, click's English words for French."""
    if language in CLICK_TRANSLATED:
        template, catalog = extract_click(), _read(po_path(language, CLICK_DOMAIN), language)
    else:
        template, catalog = extract(), _read(po_path(language), language)
    missing = []
    for message in template:
        if not message.id:
            continue
        known = catalog.get(message.id, message.context)
        strings = known.string if known is not None else None
        filled = all(strings) if isinstance(strings, tuple) else bool(strings)
        if known is None or known.fuzzy or not filled:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def compiled_matches_sources(language: str = "en", domain: str = DOMAIN) -> bool:
    """True when the committed .mo holds exactly the translations of the .po."""
    with mo_path(language, domain).open("rb") as stream:
        compiled = read_mo(stream)
    source = _read(po_path(language, domain), language, domain)

    def pairs(catalog: Catalog) -> dict[object, object]:
        def key(value: object) -> object:
            return tuple(value) if isinstance(value, list | tuple) else value

        return {
            key(m.id): key(m.string)
            for m in catalog
            if m.id and any(key(m.string) or ()) and not m.fuzzy
        }

    return pairs(compiled) == pairs(source)
