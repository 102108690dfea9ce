"""The English catalog: compiled as committed, complete for what it lists, French fallback."""

from __future__ import annotations

import subprocess
import sys

from publisher.codes import CODES
from publisher.codes.base import Code, W
from publisher.i18n import translator
from publisher.i18n.catalog import compiled_matches_sources, untranslated


def test_committed_mo_matches_the_po():
    assert compiled_matches_sources("en"), "lancez python -m publisher.i18n compile"


def test_a_new_code_without_translation_falls_back_to_french_and_is_listed(monkeypatch):
    code = Code(
        "TEST-NOUVEAU",
        W,
        "Règle toute neuve",
        "La colonne « {column} » est neuve.",
        "Rien à faire.",
        example={"column": "x"},
    )
    monkeypatch.setitem(CODES, code.code, code)
    english = translator("en")
    assert english.template(code.message, {"column": "nom"}) == "La colonne « nom » est neuve."
    assert "La colonne « {column} » est neuve." in untranslated("en")


def test_the_untranslated_command_lists_and_fails_when_something_is_missing():
    done = subprocess.run(
        [sys.executable, "-m", "publisher.i18n", "untranslated"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    listed = [line for line in done.stdout.splitlines() if line]
    assert done.returncode == (1 if listed else 0)
    counts = [int(line.split()[0]) for line in done.stderr.splitlines()]
    assert sum(counts) == len(listed)
    assert "texte(s) sans traduction anglaise" in done.stderr
    assert "texte(s) de click sans traduction française" in done.stderr


def test_both_catalogs_are_complete_and_compiled():
    assert untranslated("en") == [] and untranslated("fr") == []
    assert compiled_matches_sources("fr", "click")


def test_command_line_words_and_help_follow_the_language():
    from click.testing import CliRunner

    from publisher.cli import main

    runner = CliRunner()
    french = runner.invoke(main, ["check", "f.csv"])
    assert "Erreur : Option manquante '--schema'." in french.output
    english = runner.invoke(main, ["--lang", "en", "check", "f.csv"])
    assert "Error: Missing option '--schema'." in english.output
    help_en = runner.invoke(main, ["--lang", "en", "fix", "--help"]).output
    assert "Write a corrected copy" in help_en and "[required]" in help_en
    help_fr = runner.invoke(main, ["fix", "--help"]).output
    assert "Écrire une copie corrigée" in help_fr and "[obligatoire]" in help_fr


def test_english_plural_and_numbers():
    english = translator("en")
    assert english.count(1, "%(num)s constat", "%(num)s constats") == "1 finding"
    assert english.count(12345, "%(num)s constat", "%(num)s constats") == "12,345 findings"
    french = translator("fr")
    assert french.count(0, "%(num)s constat", "%(num)s constats") == "0 constat"
    assert french.count(12345, "%(num)s constat", "%(num)s constats") == "12\u202f345 constats"


def test_whole_numbers_are_grouped_as_babel_groups_them():
    from babel.numbers import format_decimal

    values = [0, 7, -7, 999, 1000, -1000, 12345, 999_999, 1_000_000, -123_456_789, 10**12]
    for language in ("fr", "en"):
        tr = translator(language)
        assert [tr.number(v) for v in values] == [
            format_decimal(v, locale=tr.locale) for v in values
        ]
    assert translator("fr").number(1234.5) == "1\u202f234,5"  # not whole: Babel's own way

