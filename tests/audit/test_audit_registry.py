"""The rules registry holds every rule of the law-and-rules reference, as valid data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from publisher.audit.registry import (
    GENERATED_MARKER,
    load_registry,
    parse_registry,
    rules_markdown,
)
from publisher.codes import CODES
from publisher.errors import PublisherError

REFERENCE = REPO.parent / "shared" / "reference" / "law-and-rules.md"
THIRTY_THREE = [
    "SCOPE-01",
    "SCOPE-02",
    "SCOPE-03",
    "PUB-01",
    "PUB-02",
    "PUB-03",
    "PUB-04",
    "PUB-05",
    "PUB-06",
    "FMT-01",
    "FMT-02",
    "FMT-03",
    "FMT-04",
    "FMT-05",
    "LIC-01",
    "LIC-02",
    "LIC-03",
    "LIC-04",
    "PRIV-01",
    "PRIV-02",
    "PRIV-03",
    "PRIV-04",
    "PRIV-05",
    "PRIV-06",
    "SUB-01",
    "DECP-01",
    "DELIB-01",
    "BUD-01",
    "BAL-01",
    "REM-01",
    "IRVE-01",
    "STAT-01",
    "REF-01",
]


def test_registry_has_the_33_rules_in_order():
    assert load_registry().codes() == tuple(THIRTY_THREE)


def test_registry_matches_the_reference_table():
    if not REFERENCE.is_file():
        pytest.skip("référence partagée absente (../shared/reference)")
    section = REFERENCE.read_text("utf-8").split("## 4.")[1].split("## 5.")[0]
    codes = re.findall(r"^\| ([A-Z]+-\d{2}) \|", section, flags=re.MULTILINE)
    assert codes == THIRTY_THREE


def test_every_rule_says_its_basis_and_what_is_automatic_or_attested_or_left_out():
    for rule in load_registry().rules:
        assert rule.legal_basis and rule.url.startswith("https://"), rule.code
        assert rule.automatic or rule.attestation or rule.left_out, rule.code


def test_every_finding_pattern_names_catalogued_codes():
    """A typo in rules.yaml would silently make a rule always conforme."""
    for rule in load_registry().rules:
        for pattern in rule.findings:
            if pattern != "*":
                assert any(rule.matches(code) for code in CODES), (rule.code, pattern)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("severity: error", "severity: fatal"),
        ("scope: any", "scope: role:maire"),
        ("obligation: budget", "obligation: cadastre"),
    ],
    ids=["gravité", "champ", "obligation"],
)
def test_broken_registry_is_refused_in_french(change, message):
    raw = Path(REPO / "src/publisher/audit/rules.yaml").read_text("utf-8")
    assert change in raw
    with pytest.raises(PublisherError, match="registre des règles"):
        parse_registry(raw.replace(change, message, 1).encode())


def test_docs_rules_table_is_up_to_date():
    generated = (REPO / "docs/audit.md").read_text("utf-8").split(GENERATED_MARKER)[1]
    assert GENERATED_MARKER + generated == rules_markdown(), "lancez python -m publisher.audit"
