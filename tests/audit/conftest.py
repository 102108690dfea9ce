"""The sample federation audited once per module, on a fixed day, so statuses never drift."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import REPO
from publisher import load_federation, validate_federation
from publisher.audit import build_audit

AUDIT_DAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def sample_validation():
    federation = load_federation(REPO)
    return validate_federation(federation, federation.registry, today=AUDIT_DAY)


@pytest.fixture(scope="session")
def sample_audit(sample_validation):
    return build_audit(sample_validation.federation, sample_validation, today=AUDIT_DAY)


def result(document, slug: str, code: str):
    commune = next(c for c in document.communes if c.slug == slug)
    return next(r for r in commune.rules if r.code == code)


def obligation(document, slug: str, key: str):
    commune = next(c for c in document.communes if c.slug == slug)
    return next(o for o in commune.obligations if o.obligation == key)
