"""Reports: the JSON shape is the documented one; the HTML is self-contained, escaped and capped."""

from __future__ import annotations

import contextlib
import json
from html.parser import HTMLParser
from importlib import resources

import jsonschema

from conftest import GOOD_ROW, SUBVENTIONS_HEADER
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.publishing import PublicationSummary
from publisher.reports import (
    build_document,
    render_html,
    render_json,
    write_reports,
)
from publisher.reports.html import ROWS_PER_GROUP


def report_schema():
    text = resources.files("publisher.reports").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)


def document_for(repo, publication=None):
    federation = load_federation(repo.root)
    validation = validate_federation(federation, SchemaRegistry.load(federation.schemas_dir))
    return build_document(validation, publication)


def hostile_repo(mini_repo):
    cells = GOOD_ROW.split(";")
    rows = []
    for index in range(ROWS_PER_GROUP + 7):
        bad = list(cells)
        bad[2] = f"<script>alert({index})</script>"
        rows.append(";".join(bad))
    huge = list(cells)
    huge[7] = "9" * 100_000
    rows.append(";".join(huge))
    mini_repo.dataset("jeu", rows)
    mini_repo.dataset("propre")
    return mini_repo


def test_json_report_follows_its_published_schema(mini_repo):
    document = document_for(
        hostile_repo(mini_repo),
        PublicationSummary(
            "http://127.0.0.1:1",
            True,
            ({"dataset_id": "begles-propre", "action": "create", "ok": True, "message": "publié"},),
        ).to_dict(),
    )
    jsonschema.Draft7Validator(report_schema()).validate(json.loads(render_json(document)))
    assert document["summary"]["blocked"] == 1 and document["summary"]["publishable"] == 1
    assert document["summary"]["findings"]["error"] == ROWS_PER_GROUP + 7 + 1


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_report_is_self_contained_accessible_and_escaped(mini_repo):
    html = render_html(document_for(hostile_repo(mini_repo)))
    parser = _Collector()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert " src=" not in html  # links to legal texts are allowed, loaded assets are not
    assert parser.tags[0] == ("html", {"lang": "fr"})
    assert tags.count("h1") == 1
    assert all("scope" in attrs for tag, attrs in parser.tags if tag == "th")
    assert tags.count("table") == tags.count("caption")
    assert "9" * 200 not in html  # the 100 kB cell is truncated
    assert f"{ROWS_PER_GROUP} premiers sur {ROWS_PER_GROUP + 7}" in html
    assert "7 autres constats de ce type figurent dans le rapport JSON" in html
    assert "bloquant" in html and "Comment corriger" in html


def test_reports_are_written_whole(mini_repo, tmp_path):
    mini_repo.dataset("propre")
    written = write_reports(document_for(mini_repo), tmp_path / "reports")
    names = sorted(p.relative_to(tmp_path / "reports").as_posix() for p in written)
    assert names[:2] == ["historique/" + names[0].split("/")[1], "rapport.html"] or len(names) == 3
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "historique",
        "rapport.html",
        "rapport.json",
    ]
    assert not list((tmp_path / "reports").rglob("*.tmp"))


def test_a_failing_renderer_leaves_previous_reports_untouched(mini_repo, tmp_path, monkeypatch):
    from publisher import reports

    mini_repo.dataset("propre")
    document = document_for(mini_repo)
    folder = tmp_path / "reports"
    write_reports(document, folder)
    before = (folder / "rapport.json").read_bytes()

    def broken(_document):
        raise RuntimeError("rendu impossible")

    monkeypatch.setitem(reports.FORMATS, "html", (broken, "html"))
    with contextlib.suppress(RuntimeError):
        write_reports({**document, "generated_at": "2030-01-01T00:00:00+01:00"}, folder)
    assert (folder / "rapport.json").read_bytes() == before
    assert len(list((folder / "historique").iterdir())) == 1


def test_file_check_report(tmp_path):
    from publisher.validation import check_file

    path = tmp_path / "depot.csv"
    path.write_text(
        SUBVENTIONS_HEADER + "\n" + GOOD_ROW.replace("2025-02-11", "11/02/2025") + "\n", "utf-8"
    )
    registry = SchemaRegistry.load(__import__("conftest").REPO / "schemas")
    document = build_document(
        check_file(path, registry.resolve("subventions"), shown_path="depot.csv")
    )
    jsonschema.Draft7Validator(report_schema()).validate(document)
    html = render_html(document)
    assert "depot.csv" in html and "11/02/2025" in html


def test_shown_values_mask_e_mails_even_outside_privacy_findings():
    from publisher.findings import shown_value

    assert shown_value("Contact jeanne.martin@orange.fr") == "Contact j•••@orange.fr"
    long_cell = "x" * 100 + " jean.dupont@gmail.com " + "y" * 1000
    assert "jean" not in shown_value(long_cell)
