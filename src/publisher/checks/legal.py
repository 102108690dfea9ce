"""Legal family: the duties of the Loi pour une République numérique a descriptor shows.

LIC-01 (allowed licences, CRPA L323-2 / D323-2-1) and PUB-03 (update frequency respected).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from publisher.checks.registry import BaseFamily, DatasetContext, register
from publisher.codes import make
from publisher.findings import Finding, Location
from publisher.model import Dataset
from publisher.vocabularies import FREQUENCIES, STALE_FACTOR, licence

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@register
class LegalFamily(BaseFamily):
    name = "legal"
    codes = ("LIC-01", "LIC-01-LEGACY", "PUB-03", "PUB-03-FUTURE", "DESC-DATE")

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]:
        dataset = context.dataset
        here = Location(commune=dataset.commune, dataset=dataset.name, path=dataset.relpath)
        yield from self._licences(dataset.licenses, dataset.license_homologation, here)
        yield from self._dates(dataset, here)
        yield from self._freshness(dataset.modified, dataset.frequency, context.today, here)

    def _dates(self, dataset: Dataset, here: Location) -> Iterable[Finding]:
        """Dates the profile's pattern lets through but the calendar refuses (2026-02-30)."""
        for key in ("modified", "issued"):
            value = dataset.descriptor.get(key)
            if not isinstance(value, str) or not _ISO_DAY.match(value):
                continue
            try:
                date.fromisoformat(value)
            except ValueError:
                yield make("DESC-DATE", replace(here, key=key), value=value, day=value, key=key)

    def _licences(
        self, names: tuple[str, ...], homologation: str | None, here: Location
    ) -> Iterable[Finding]:
        at = replace(here, key="licenses")
        for name in names:
            known = licence(name)
            if known is None and not homologation:
                yield make("LIC-01", at, license=name, value=name)
            elif known is not None and known.legacy:
                yield make("LIC-01-LEGACY", at, value=name)

    def _freshness(
        self, modified: str | None, frequency: str | None, today: date, here: Location
    ) -> Iterable[Finding]:
        if not modified or frequency not in FREQUENCIES:
            return
        try:
            updated = date.fromisoformat(modified)
        except ValueError:
            return  # reported by _dates or by the profile
        at = replace(here, key="modified")
        if updated > today:
            yield make("PUB-03-FUTURE", at, modified=modified, value=modified)
            return
        period = FREQUENCIES[frequency].period_days
        if period is None:
            return
        limit = round(period * STALE_FACTOR)
        age = (today - updated).days
        if age > limit:
            yield make(
                "PUB-03",
                at,
                modified=modified,
                age=age,
                limit=limit,
                frequency=FREQUENCIES[frequency].label.lower(),
                value=modified,
            )
