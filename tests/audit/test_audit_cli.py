"""`publisher audit`: pages per commune and for the federation, catalogues, exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import REPO
from publisher.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_audit_writes_pages_catalogue_and_dcat(tmp_path):
    out = tmp_path / "audit"
    result = invoke("audit", REPO, "--commune", "talence", "--sortie", out)
    assert result.exit_code == 1, result.output  # PUB-02: no catalogue dataset, an error
    assert "Talence :" in result.output
    assert "[PUB-02]" in result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "audit.html",
        "audit.json",
        "dcat.jsonld",
        "dcat.ttl",
        "talence/audit.html",
        "talence/audit.json",
        "talence/catalogue.csv",
    ]
    document = json.loads((out / "talence/audit.json").read_text("utf-8"))
    assert [c["slug"] for c in document["communes"]] == ["talence"]


def test_a_broken_attestation_file_exits_two_in_french(mini_repo, tmp_path):
    path = mini_repo.root / "communes/talence/attestations.yaml"
    path.write_text(path.read_text("utf-8").replace("rule: BAL-01", "rule: BAL-09"), "utf-8")
    result = invoke("audit", mini_repo.root, "--sortie", tmp_path / "audit")
    assert result.exit_code == 2
    assert "règle « BAL-09 » inconnue (ligne 11)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "audit").exists()
