"""A file checked a batch at a time gives exactly the findings of the file checked whole.

Small `batch_bytes` cut the files below into many batches, so that every check that needs more
than one row (unique values, primary and foreign keys, k-anonymity, person columns, hits
counted over the file, the cap on findings) meets values across batch boundaries.
"""

from __future__ import annotations

import csv
import io
import random
import sys

import pytest

from conftest import REPO
from publisher import SchemaRegistry
from publisher.findings import Location
from publisher.model import load_federation
from publisher.read import _blocks, read_batches
from publisher.validation import check_dataset_files, check_file
from test_table_schema import inline_schema

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_subventions import generate

REGISTRY = SchemaRegistry.load(REPO / "schemas")
SUBVENTIONS = REGISTRY.resolve("scdl/subventions@2.1.1")


def described(validation):
    """Everything a report shows of the findings and of the groups cut by the cap."""
    findings = [(f.code, f.location, f.message, f.hint, f.value) for f in validation.findings]
    return findings, sorted(validation.sampled, key=lambda s: (s.code, str(s.location)))


def test_blocks_end_where_records_end_even_inside_multiline_quoted_cells():
    rng = random.Random(3)
    cells = ["a", "b c", '"x\ny"', '"dit ""oui""\n"', "", '"a;b"', '"\n\n"', '"fin ""\n"""']
    lines = [";".join(rng.choice(cells) for _ in range(3)) for _ in range(400)]
    data = ("h1;h2;h3\n" + "\n".join(lines) + "\n").encode()
    whole = list(csv.reader(io.StringIO(data.decode()), delimiter=";"))
    for size in (40, 64, 500):
        stream = io.BytesIO(data)
        blocks = list(_blocks(stream, stream.read(16), size))
        assert len(blocks) > 1 and b"".join(blocks) == data
        records = [
            record
            for block in blocks
            for record in csv.reader(io.StringIO(block.decode()), delimiter=";")
        ]
        assert records == whole


def test_rows_are_numbered_as_in_the_whole_file(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a;b\n" + "".join(f"{n};x\n" for n in range(2, 6000)), "utf-8")
    batches = list(read_batches(path, "csv", None, Location(), batch_bytes=1024))
    assert len(batches) > 5
    rows = [row for batch in batches for row in batch.table.row_numbers.to_list()]
    firsts = [int(batch.table.frame["a"][0]) for batch in batches]
    assert rows == list(range(2, 6000))
    assert firsts == [batch.table.row_numbers[0] for batch in batches]


@pytest.mark.parametrize("cap", [1_000, 3])
def test_generated_subsidies_file_same_findings_whole_or_in_batches(tmp_path, cap):
    path = tmp_path / "subventions.csv"
    generate(3_000, seed=11).write_csv(path, separator=";")
    whole = check_file(path, SUBVENTIONS, cap=cap, batch_bytes=None)
    batched = check_file(path, SUBVENTIONS, cap=cap, batch_bytes=40_000)
    codes = {f.code for f in whole.findings}
    assert {"SCHEMA-TYPE", "FMT-DATE-FR", "PRIV-01", "SCHEMA-CONSTRAINT"} <= codes
    assert described(batched) == described(whole)
    if cap == 3:
        assert whole.sampled and all(group.shown == 3 for group in whole.sampled)


KEYS_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"unique": True}},
        {"name": "parent", "type": "integer"},
        {"name": "code", "type": "string"},
        {"name": "annee", "type": "year"},
    ],
    "primaryKey": ["code", "annee"],
    "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}],
}


def test_keys_across_batches(tmp_path):
    """A value repeated far away, a primary key repeated in another batch, a parent that
    appears only later in the file (no error) or never (an error)."""
    lines = ["id,parent,code,annee"]
    for n in range(1, 600):
        parent = n + 500 if n < 50 else (9_999 if n == 300 else n - 1)
        lines.append(f"{n},{parent if n > 1 else ''},c{n % 400},{2020 + n % 2}")
    lines += ["7,1,c7,2021", "0,1,c0,2020", "01,2,zz,2022"]
    path = tmp_path / "keys.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    schema = inline_schema(tmp_path, KEYS_SCHEMA)
    whole = check_file(path, schema, batch_bytes=None)
    batched = check_file(path, schema, batch_bytes=600)
    located = {(f.code, f.location.row) for f in whole.findings}
    assert ("SCHEMA-UNIQUE", 601) in located  # id 7 again, rows apart
    assert ("SCHEMA-UNIQUE", 603) in located  # 01 is the integer 1
    assert ("SCHEMA-OTHER", 301) in located  # parent 9999 exists nowhere
    assert not any(row in range(2, 51) for code, row in located if code == "SCHEMA-OTHER")
    assert described(batched) == described(whole)


def test_privacy_across_batches(mini_repo):
    """k-anonymity over combinations spread over batches, a person column filled only in a
    late batch, an e-mail hit counted over the whole file."""
    header = "quartier;tranche_age;sexe;aide;date_naissance"
    rows = [f"Q{n % 40};{n % 3};F;voir jean.dupont{n % 2}@gmail.com;" for n in range(600)]
    rows += ["Thouars;80-89;M;non;", "Suzon;30;F;non;inconnue"]
    data = "\n".join([header, *rows]).encode("utf-8") + b"\n"
    personal_data = {
        "status": "anonymisées",
        "method": "agrégation par classe d'âge",
        "quasi_identifiers": ["quartier", "tranche_age", "sexe"],
    }
    resources = [{"name": "donnees", "path": "donnees.csv", "format": "csv"}]
    mini_repo.dataset("anonyme", data=data, resources=resources, personal_data=personal_data)
    federation = load_federation(mini_repo.root)
    ((commune, dataset),) = federation.datasets()
    registry = SchemaRegistry.load(federation.schemas_dir)
    whole = check_dataset_files(commune, dataset, registry, batch_bytes=None)
    batched = check_dataset_files(commune, dataset, registry, batch_bytes=2_000)
    codes = {f.code: f for f in whole.findings}
    assert {"PRIV-03", "PRIV-03-K", "PRIV-06"} <= set(codes)
    assert "600 cellules" in codes["PRIV-03"].message
    assert [(f.code, f.location, f.message) for f in batched.findings] == [
        (f.code, f.location, f.message) for f in whole.findings
    ]


def test_legacy_encoding_met_in_a_late_batch(tmp_path):
    """ASCII for many batches, then a cp1252 « é » with Windows line ends: one encoding
    finding, the same cells as the whole file decoded at once."""
    schema = inline_schema(tmp_path, {"fields": [{"name": "nom"}, {"name": "montant"}]})
    lines = ["nom;montant", *(f"Association {n};{n}" for n in range(400)), "Cr\xe9che;12"]
    path = tmp_path / "ansi.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    whole = check_file(path, schema, batch_bytes=None)
    batched = check_file(path, schema, batch_bytes=500)
    assert [f.code for f in batched.findings].count("FMT-ENCODING") == 1
    assert described(batched) == described(whole)
    last = list(read_batches(path, "csv", None, Location(), batch_bytes=500))[-1].table
    assert last.frame["nom"].to_list()[-1] == "Créche"


def test_stray_quote_in_a_late_batch_is_found_at_its_line(tmp_path):
    lines = ["a;b", *(f"{n};x" for n in range(300)), 'mal"place;"ouvert', "1;2"]
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (finding,) = [f for f in check_file(path, None, batch_bytes=400).findings if f.code == "FMT-01"]
    assert finding.location.row == 302


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_a_late_stray_quote_is_found_at_its_line_after_multiline_cells_and_crlf(tmp_path, encoding):
    """Lines of the earlier batches counted in the file's bytes (BOM, CR, legacy encoding)."""
    lines = [
        "a;b",
        *(f'{n};"élan\r\nsur deux lignes"' for n in range(400)),  # lines 2 to 801
        *(f"{n};é" for n in range(1000)),
        'mal"place;"ouvert',
        "1;2",
    ]
    path = tmp_path / "quote.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    for batch_bytes in (500, 1500):
        found = check_file(path, None, batch_bytes=batch_bytes).findings
        assert [f.location.row for f in found if f.code == "FMT-01"] == [1802]


def same_whole_and_batched(path, schema, *sizes, cap=1_000):
    whole = check_file(path, schema, cap=cap, batch_bytes=None)
    for size in sizes:
        assert described(check_file(path, schema, cap=cap, batch_bytes=size)) == described(whole)
    return whole


def test_a_longer_first_record_is_not_a_stray_quote(tmp_path):
    """A trailing delimiter on every line (a common spreadsheet export): polars' strict read
    refuses the first record in another way than the others, still no FMT-01."""
    path = tmp_path / "x.csv"
    path.write_text("id;code;nom\n" + "".join(f"{n};c{n};b;\n" for n in range(400)), "utf-8")
    whole = same_whole_and_batched(path, None, 300, 1000)
    assert "FMT-01" not in {f.code for f in whole.findings}


def test_a_quote_inside_an_unquoted_cell_is_found_whole_or_in_batches(tmp_path):
    """`Ecran 24" large` is not valid CSV: found in both ways at its line (in batches, the
    count of quotes it upsets may cut a later quoted cell: docs/engine.md)."""
    lines = ["i;c;n;v", *(f"{n};c{n};n{n};{n}" for n in range(2, 3000))]
    lines[1499] = '1500;c1500;Ecran 24" large;1'
    path = tmp_path / "q.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    schema = inline_schema(tmp_path, {"fields": [{"name": n} for n in ("i", "c", "n", "v")]})
    whole = same_whole_and_batched(path, schema, 300, 700, 5000)
    assert [(f.code, f.location.row) for f in whole.findings] == [("FMT-01", 1500)]


def test_stray_quotes_are_said_once_at_the_first(tmp_path):
    lines = ["a;b", *(f"{n};x" for n in range(3000))]
    lines[1000] = 'mal"place;1'
    lines[2500] = 'encore"un;2'
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    whole = same_whole_and_batched(path, None, 300, 1000, 5000)
    assert [(f.code, f.location.row) for f in whole.findings] == [("FMT-01", 1001)]


def test_a_header_followed_by_blank_records_only_has_no_data(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("id;code;nom\n" + ";;\n" * 500, "utf-8")
    whole = same_whole_and_batched(path, None, 300)
    assert [f.code for f in whole.findings] == ["FMT-HEADER-ONLY"]
