"""The fast paths give what the slow ones gave: vectorised phone lines, accent folding,
organisation words, guarded masking; and the command line starts without the heavy imports."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

import click
import polars as pl
import pytest

from publisher.privacy import masking, names
from publisher.privacy.detectors import _phone_kind, phone_kinds
from publisher.privacy.lexicon import LEGAL_PERSON_WORDS
from publisher.privacy.whitelist import BLANK

REPO = Path(__file__).resolve().parents[1]


def test_phone_lines_from_the_numbering_plans_agree_with_phonenumbers():
    rng = random.Random(11)
    numbers = [
        rng.choice(["0", "+33", "+262", "+590", "+594", "+596"])
        + str(rng.randint(100_000_000, 999_999_999))
        for _ in range(5000)
    ]
    numbers += [
        f"{code}{head}00000"
        for head in range(1000, 10000)
        for code in ("0", "+262", "+590", "+594", "+596")
    ]
    numbers += ["+59590123456", "+3361234567", "0612", "+4412345678", "+33612345678"]
    kinds = phone_kinds(pl.Series(numbers)).to_list()
    expected = [_phone_kind(number) for number in numbers]
    assert kinds == expected
    assert {"numéro de mobile", "ligne fixe", None} <= set(expected)


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return re.sub(r"['’]", "", stripped).upper()


def test_accents_are_folded_as_unicode_decomposition_does():
    assert all(
        unicodedata.normalize("NFKD", c) == c and not unicodedata.combining(c)
        for c in names._UNCHANGED_BY_NFKD
    )
    samples = [
        "Hélène d'Arc",
        "n° 12 œuvre « Noël »",
        "x\u00a0y",  # no-break space: decomposed to a space
        "ﬁnances",  # ligature
        "e\u0301cole",  # already decomposed accent
        "Ｍｍｅ Ｇａｒｎｉｅｒ",  # full width
        "plain ASCII — dash",
        "",
    ]
    expected = [_slow_fold(text) for text in samples]
    for copies in (1, names.FOLD_DIRECTLY // len(samples) + 1):  # both ways of folding
        frame = pl.DataFrame({"t": samples * copies})
        assert frame.select(names.fold(pl.col("t"))).to_series().to_list() == expected * copies


def test_organisation_words_as_one_pattern_match_them_word_by_word():
    words = sorted(LEGAL_PERSON_WORDS)
    texts = [
        "Association des amis",
        "Les Amis de Simone Signoret",
        "Comité des fêtes de Bègles",
        "Sophie Garnier",
        "clubs sportifs réunis",
        "AMICALE LAÏQUE",
        "associationnisme local",
        "un deux trois quatre cinq six sept association",
    ]
    frame = pl.DataFrame({"t": texts}).select(names.fold(pl.col("t")).str.to_lowercase())
    folded = frame.to_series()
    fast = frame.select(names._organisation(pl.col("t"))).to_series().to_list()
    expected = []
    for text in folded:
        tokens = re.findall(r"[a-z]+", text)
        legal = any(t in words or (t.endswith("s") and t[:-1] in words) for t in tokens)
        expected.append(legal and len(tokens) <= 6)
    assert fast == expected
    assert True in expected and False in expected


def test_public_names_blanked_where_cued_as_everywhere():
    texts = [
        "rue Victor Hugo",
        "Amicale Jean Moulin et Pierre Curie",
        "école élémentaire Jules Guesde",
        "M. Dupont, maire",
        "la présidente Sophie Garnier",
        "Jean Martin (adjoint)",
        "Sophie Garnier",
        "Sportive Marie Curie",  # « port » inside a word is no place
        "Association enfance n°12",  # a place word, no name after it
        "RUE DU STADE",
        "",
        None,
    ]
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    everywhere = pl.col("t")
    for _cue, patterns in names._PUBLIC_NAME_SPANS:
        for pattern in patterns:
            everywhere = everywhere.str.replace_all(pattern, BLANK)
    expected = frame.select(everywhere).to_series().to_list()
    assert frame.select(names.blank_public_names(pl.col("t"))).to_series().to_list() == expected
    untouched = [text for text, blanked in zip(texts, expected, strict=True) if text == blanked]
    assert untouched == [
        "Sophie Garnier",
        "Sportive Marie Curie",
        "Association enfance n°12",
        "",
        None,
    ]


def test_masking_guards_cover_every_civility():
    alternatives = re.search(r"\\b\((.*?)\)\\s", masking._CIVILITY_NAME).group(1)
    for civility in alternatives.split("|"):
        spelled = civility.replace("\\.", ".")
        assert any(start in spelled for start in masking._CIVILITIES), spelled
    assert "Garnier" not in masking.mask_text("Docteur Garnier, tél. 06 12 34 56 78")
    assert "12 34 56" not in masking.mask_text("appeler le 06 12 34 56 78")
    assert "jean.dupont" not in masking.mask_text("jean.dupont(at)gmail.com")


def test_the_report_options_name_every_renderer():
    from publisher.cli.common import FAIL_ON_LEVELS, REPORT_FORMATS
    from publisher.reports import FAIL_ON, FORMATS

    assert tuple(FORMATS) == REPORT_FORMATS
    assert tuple(FAIL_ON) == FAIL_ON_LEVELS


def _printed_by(code: str) -> str:
    """What `code` prints, run in a fresh interpreter."""
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return run.stdout


def _modules_after(code: str) -> set[str]:
    return set(_printed_by(f"{code}\nimport sys\nprint(' '.join(sys.modules))").split())


@pytest.mark.parametrize(
    "code",
    [
        "import publisher",
        "import publisher.cli",
        "from publisher.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
    ],
)
def test_the_command_group_starts_without_heavy_imports(code):
    loaded = _modules_after(code)
    heavy = {
        "polars",
        "frictionless",
        "jinja2",
        "jsonschema",
        "stdnum",
        "phonenumbers",
        "yaml",
        "babel",
    }
    assert not heavy & loaded


def _checking_a_valid_file(folder: Path) -> str:
    """Code running `publisher check` on the official valid example of the subsidies schema."""
    data = folder / "subventions.csv"
    example = REPO / "schemas/scdl/subventions/2.1.1/examples/exemple_valide.csv"
    data.write_bytes(example.read_bytes())
    return (
        "from publisher.cli import main\n"
        f"try:\n    main(['check', {str(data)!r}, '--schema', 'subventions'])\n"
        "except SystemExit:\n    pass\n"
    )


def test_checking_a_file_in_text_loads_no_template_engine(tmp_path):
    loaded = _modules_after(_checking_a_valid_file(tmp_path))
    assert "polars" in loaded  # the check did run
    assert "jinja2" not in loaded
    renderers = {f"publisher.reports.{name}" for name in ("html", "junit", "sarif", "markdown")}
    assert not renderers & loaded  # the text summary needs no report renderer
    assert "multiprocessing" not in loaded  # worker processes are for big federations
    assert "charset_normalizer" not in loaded  # a UTF-8 file needs no encoding guess
    assert "babel" not in loaded  # the summary's counts are grouped without Babel's data


def test_checking_a_file_imports_no_other_command(tmp_path):
    from publisher.cli.app import COMMAND_MODULES

    loaded = _modules_after(_checking_a_valid_file(tmp_path))
    assert "publisher.validation" in loaded  # the check did run
    assert {module for module in COMMAND_MODULES.values() if module in loaded} == {
        "publisher.cli.validation"
    }


def test_each_command_is_defined_by_the_module_that_loads_it():
    from publisher.cli.app import COMMAND_MODULES, main

    defined = {name: command.callback.__module__ for name, command in main.every_command().items()}
    assert defined == COMMAND_MODULES


def test_the_help_lists_every_command_with_its_short_help_in_each_language():
    from publisher.cli.app import COMMAND_MODULES

    french = _command_line(["--help"]).stdout
    english = _command_line(["--lang", "en", "--help"]).stdout
    for name in COMMAND_MODULES:
        assert re.search(rf"^  {name} +\w", french, re.MULTILINE), name
        assert re.search(rf"^  {name} +\w", english, re.MULTILINE), name
    assert "  check        Contrôler un fichier avant de le déposer" in french
    assert "  check        Check a file against a shared schema" in english
    unknown = _command_line(["chek"])
    assert unknown.returncode == 2 and "'chek'" in unknown.stderr
    if hasattr(click.exceptions, "NoSuchCommand"):  # click 8.4 and later suggest a name
        assert "'check'" in unknown.stderr


def _command_line(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """`publisher ARGUMENTS` in a fresh interpreter, where no command module is loaded yet."""
    return subprocess.run(
        [sys.executable, "-c", "from publisher.cli import entry_point; entry_point()", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_checking_a_clean_file_compiles_no_masking_pattern(tmp_path):
    code = _checking_a_valid_file(tmp_path) + (
        "from publisher.privacy.masking import _compiled, mask_text\n"
        "print('compiled', _compiled.cache_info().currsize)\n"
        "mask_text('tél. 06 12 34 56 78')\n"
        "print('compiled', _compiled.cache_info().currsize)"
    )
    printed = _printed_by(code)
    assert "conforme" in printed
    before, after = re.findall(r"compiled (\d+)", printed)
    assert before == "0" and after != "0"


def test_checking_a_file_looks_up_no_installed_package_version(tmp_path):
    import publisher

    code = (
        "import importlib.metadata\n"
        "def version(name):\n    print('looked up', name)\n    return '0'\n"
        "importlib.metadata.version = version\n" + _checking_a_valid_file(tmp_path)
    )
    printed = _printed_by(code)
    assert "conforme" in printed and "looked up" not in printed
    assert publisher.__version__ == metadata.version("publisher")  # the one the report shows


def test_the_objects_a_check_imports_are_frozen_out_of_the_collector(tmp_path):
    code = _checking_a_valid_file(tmp_path) + (
        "import gc\nprint('frozen', gc.get_freeze_count(), 'collecting', gc.isenabled())"
    )
    printed = _printed_by(code)
    frozen = int(re.search(r"frozen (\d+) collecting True", printed).group(1))
    assert frozen > 10_000  # polars' and the checks' modules, classes and functions


def test_a_second_check_in_the_same_process_freezes_nothing_more(tmp_path):
    check = _checking_a_valid_file(tmp_path)
    code = (
        f"{check}import gc\nfirst = gc.get_freeze_count()\n"
        f"{check}print('frozen', first, gc.get_freeze_count())"
    )
    first, second = re.search(r"frozen (\d+) (\d+)", _printed_by(code)).groups()
    assert int(first) > 10_000 and second == first  # the earlier check's garbage stays collectable


def test_cells_read_as_their_declared_type_are_not_scanned_the_others_are(tmp_path):
    from types import SimpleNamespace

    from publisher.checks.privacy import _scanned
    from publisher.schemas import SchemaRegistry
    from publisher.validation import check_file

    schema = SchemaRegistry.load(REPO / "schemas").resolve("subventions")
    frame = pl.DataFrame(
        {
            "dateConvention": ["2025-02-11", "sophie.garnier@gmail.com"],
            "montant": ["24500", "06 12 34 56 78"],
            "notificationUE": ["non", "oui"],
            "objet": ["Fonctionnement", "Fonctionnement"],
        }
    )
    scanned = _scanned(frame, SimpleNamespace(schema=schema))
    assert scanned.to_dict(as_series=False) == {
        "dateConvention": [None, "sophie.garnier@gmail.com"],
        "montant": [None, "06 12 34 56 78"],
        "notificationUE": [None, None],
        "objet": ["Fonctionnement", "Fonctionnement"],
    }
    header = ";".join(frame.columns)
    data = tmp_path / "depot.csv"
    data.write_text(f"{header}\n" + "\n".join(";".join(row) for row in frame.rows()) + "\n")
    found = {
        (f.code, f.location.column, f.location.row)
        for f in check_file(data, schema).findings
        if f.code.startswith("PRIV")
    }
    assert ("PRIV-01", "dateConvention", 3) in found
    assert ("PRIV-01", "montant", 3) in found


def test_distinct_values_once_per_column_in_order_whatever_the_column_names():
    from publisher.privacy import scanner

    frame = pl.DataFrame(
        {
            "a": ["x", "y", "x", None, " ", "z"],
            "column": ["1", "1", "2", "3", "2", ""],
            "raw": ["x", None, None, None, None, "x"],
        }
    )
    assert scanner._distinct(frame, frame.columns).rows() == [
        ("a", "x"),
        ("a", "y"),
        ("a", "z"),
        ("column", "1"),
        ("column", "2"),
        ("column", "3"),
        ("raw", "x"),
    ]
    assert scanner._distinct(frame, ["raw", "a"]).rows() == [
        ("raw", "x"),
        ("a", "x"),
        ("a", "y"),
        ("a", "z"),
    ]


def test_columns_of_different_values_scanned_row_by_row_give_the_same_hits(monkeypatch):
    from datetime import date

    from publisher.privacy import scanner

    frame = pl.DataFrame(
        {
            "nomBeneficiaire": ["GARNIER Sophie", "Amicale laïque", "GARNIER Sophie", "Club"] * 3,
            "objet": [
                f"Contact : sophie.garnier{index}@gmail.com, tél. 06 12 34 56 {index:02d}"
                for index in range(12)
            ],
            "montant": ["1200", "300", "1200", "55"] * 3,
        }
    )
    rows = pl.Series(range(2, 14))
    options = scanner.ScanOptions(today=date(2026, 11, 23))
    on_distinct_values = scanner.scan(frame, rows, options)
    monkeypatch.setattr(scanner, "SMALL_TABLE_CELLS", 0)
    monkeypatch.setattr(scanner, "SAMPLED_ROWS", 4)
    by_row = scanner._scanned_values(frame).group_by("column").agg(pl.col("_row").is_null().all())
    assert dict(by_row.iter_rows()) == {"nomBeneficiaire": True, "objet": False, "montant": True}
    assert scanner.scan(frame, rows, options) == on_distinct_values
    assert {(hit.column, hit.family.value) for hit in on_distinct_values} >= {
        ("nomBeneficiaire", "name"),
        ("objet", "email"),
        ("objet", "phone"),
    }


def test_values_without_letter_or_long_number_are_left_out_unless_the_header_reads_numbers():
    from publisher.privacy.detectors import header_flags, may_hold

    cells = pl.DataFrame(
        {
            "column": ["objet"] * 9 + ["date_naissance", "latitude"],
            "raw": [
                "06 12 34 56 78",
                "+33 (0)6.12.34.56.78",
                "1 85 05 78 006 084 36",
                "Mme Garnier",
                "x@y.fr",
                "1200",
                "2021-12-30/2024-05-14",
                "12,50",
                "06 12 34 56",
                "12/03/1980",
                "44.8378",
            ],
        }
    )
    headers = header_flags(["objet", "date_naissance", "latitude"])
    kept = cells.filter(may_hold(pl.col("raw"), headers))
    assert kept.get_column("raw").to_list() == [
        "06 12 34 56 78",
        "+33 (0)6.12.34.56.78",
        "1 85 05 78 006 084 36",
        "Mme Garnier",
        "x@y.fr",
        "12/03/1980",
        "44.8378",
    ]


def test_a_small_table_with_a_column_named_column_is_scanned():
    from datetime import date

    from publisher.privacy import scanner

    frame = pl.DataFrame({"column": ["a", "b"], "raw": ["x", "y"], "contact": ["x@gmail.com", ""]})
    hits = scanner.scan(frame, pl.Series([2, 3]), scanner.ScanOptions(today=date(2026, 11, 23)))
    assert [(hit.column, hit.family.value, hit.rows) for hit in hits] == [
        ("contact", "email", (2,))
    ]


def test_a_memo_of_earlier_batches_gives_each_batch_the_hits_of_a_fresh_scan(monkeypatch):
    """Values met again (in the same column or, with other hits, in another one) and values
    of a column scanned row by row, over three batches."""
    from datetime import date

    from publisher.privacy import scanner

    names = ["GARNIER Sophie", "Amicale laïque", "M. Jean Dupont", "Club de judo"]
    contacts = ["tél. 06 12 34 56 78 ou 06 98 76 54 32", "accueil@mairie-begles.fr", "x@gmail.com"]
    batches = [
        pl.DataFrame(
            {
                "nom": [names[(index + shift) % 4] for index in range(8)],
                "contact": [contacts[(index * shift) % 3] for index in range(8)],
                "objet": [names[(index + 1) % 4] if shift else "Soutien" for index in range(8)],
                "reference": [f"DEL-{shift}-{index} 06 12 34 56 {index:02d}" for index in range(8)],
            }
        )
        for shift in range(3)
    ]
    monkeypatch.setattr(scanner, "SMALL_TABLE_CELLS", 0)
    monkeypatch.setattr(scanner, "SAMPLED_ROWS", 4)
    options = scanner.ScanOptions(own_domains=("mairie-begles.fr",), today=date(2026, 11, 23))
    memo = scanner.ScanMemo()
    for index, batch in enumerate(batches):
        rows = pl.Series(range(2 + 8 * index, 10 + 8 * index))
        fresh = scanner.scan(batch, rows, options)
        assert scanner.scan(batch, rows, options, memo) == fresh, f"batch {index}"
        assert {(hit.column, hit.family.value) for hit in fresh} >= {
            ("nom", "name"),
            ("reference", "phone"),
        }
    assert memo.seen.height and memo.hits.height
    assert memo.by_row == {"reference"}  # told on the first batch, kept for the others
    assert scanner.ScanMemo().recall(scanner._scanned_values(batches[0]))[1].is_empty()


def test_a_full_memo_keeps_nothing_more_and_scans_as_without_it(monkeypatch):
    from datetime import date

    from publisher.privacy import scanner

    frame = pl.DataFrame({"nom": ["GARNIER Sophie", "Club"], "contact": ["x@gmail.com", ""]})
    rows = pl.Series([2, 3])
    options = scanner.ScanOptions(today=date(2026, 11, 23))
    monkeypatch.setattr(scanner, "MEMO_VALUES", 2)
    memo = scanner.ScanMemo()
    assert scanner.scan(frame, rows, options, memo) == scanner.scan(frame, rows, options)
    assert memo.seen.is_empty()


def test_the_cheap_formula_test_lets_through_every_cell_the_pattern_flags():
    from publisher.checks.spreadsheet import FORMULA, _may_start_a_formula

    rng = random.Random(5)
    alphabet = "=@\t\r+-0123456789 :;<>?AZaz(|!_é\u00a0\u2028\x00\x7f\U0001f600"
    cells = ["".join(rng.choices(alphabet, k=rng.randint(0, 6))) for _ in range(20_000)]
    cells += ["=1+1", "@SUM(A1)", "\tx", "\r", "+A(", "-x|y", "-1!", "", "0", "9=", ":", "A"]
    flagged = pl.Series(cells).str.contains(FORMULA)
    let_through = pl.select(_may_start_a_formula(pl.lit(pl.Series(cells)))).to_series()
    assert flagged.sum() > 1000
    assert (let_through | ~flagged).all()
    assert let_through.to_list()[-5:] == [False, False, False, True, False]


def test_a_memo_that_recalls_few_values_retires_and_the_scan_goes_on_without_it():
    from datetime import date

    from publisher.privacy import scanner

    options = scanner.ScanOptions(today=date(2026, 11, 23))
    memo = scanner.ScanMemo()
    for batch in range(3):
        names = [f"GARNIER Sophie {batch}-{index}" for index in range(9)] + ["Club"]
        frame = pl.DataFrame({"nom": names, "objet": ["Soutien"] * 10})
        rows = pl.Series(range(2 + 10 * batch, 12 + 10 * batch))
        assert scanner.scan(frame, rows, options, memo) == scanner.scan(frame, rows, options)
        assert memo.retired == (batch > 0)
    assert memo.seen.is_empty() and memo.hits.is_empty()
