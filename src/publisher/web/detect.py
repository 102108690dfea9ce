"""Which shared schema a CSV file follows, guessed from its header.

Each tabular schema of the registry is matched with the header the way the checks match it
(`checks.header.match_header`: by name, then by a name differing only in case, accents or
punctuation); a column left over that spells a field's title (« Nom de l'attribuant », as
spreadsheets often export) counts too, compared the same way. Each schema is scored by the
share of names the header and the schema have in common (matched / (columns + fields −
matched)): a schema is penalised for the fields the file lacks and for the columns it does not
know. The best score wins; below `CONVINCING` none is proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher.checks.header import comparable, match_header
from publisher.findings import Location
from publisher.read import read_resource
from publisher.schemas import SchemaRegistry, SharedSchema

CONVINCING = 0.5
SHOWN_CANDIDATES = 3


@dataclass(frozen=True)
class Candidate:
    """A schema and how well the header fits it."""

    schema: SharedSchema
    matched: int
    fields: int
    columns: int

    @property
    def score(self) -> float:
        union = self.fields + self.columns - self.matched
        return self.matched / union if union else 0.0


@dataclass(frozen=True)
class Detection:
    """The schemas that fit best, best first; `chosen` is None when none convinces."""

    candidates: tuple[Candidate, ...]
    readable: bool = True
    tabular: bool = True
    """False for a JSON file: only CSV headers are read, so nothing was compared."""

    @property
    def chosen(self) -> SharedSchema | None:
        if self.candidates and self.candidates[0].score >= CONVINCING:
            return self.candidates[0].schema
        return None


def detect_schema(path: Path, registry: SchemaRegistry) -> Detection:
    """Score every tabular schema against the header of the CSV file at `path`."""
    table = read_resource(path, "csv", None, Location(path=path.name)).table
    if table is None or not table.header:
        return Detection((), readable=False)
    candidates = []
    for schema in registry:
        if not schema.is_tabular:
            continue
        specs = schema.descriptor.get("fields", [])
        fields = [spec["name"] for spec in specs]
        match = match_header(
            table.header, table.frame.columns, fields, "partial", schema.ref, Location()
        )
        titles = {comparable(s["title"]): s["name"] for s in specs if s.get("title")}
        by_title = {
            titles[comparable(label)]
            for label, column in zip(table.header, table.frame.columns, strict=True)
            if column not in match.fields_by_column and comparable(label) in titles
        }
        matched = len(match.present_fields | by_title)
        candidates.append(Candidate(schema, matched, len(fields), len(table.header)))
    # the latest version first among equals: the registry lists versions in ascending order
    ranked = sorted(reversed(candidates), key=lambda c: c.score, reverse=True)
    return Detection(tuple(c for c in ranked[:SHOWN_CANDIDATES] if c.matched))
