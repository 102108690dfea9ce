"""Turn the uploaded files of a dataset into Explore records, as a publication does.

Close enough to the portal for read-back checks: CSV read with the resource params,
JSON arrays and GeoJSON features; field names lower-cased ASCII with `_` for anything else;
one type guessed per field. Several resources are concatenated. Anything that cannot be read
raises `ExtractionError`, which puts the dataset in status `error`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from publisher.portal.content import field_names

INT = re.compile(r"-?(0|[1-9]\d{0,17})")
DOUBLE = re.compile(r"-?\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
GEO_POINT = re.compile(r"(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)")
NUMERIC = frozenset({"int", "double"})


class ExtractionError(Exception):
    """A resource cannot be turned into records; the message is shown in the status."""


@dataclass(frozen=True)
class Extracted:
    """Explore `fields` and flat records, ready to be swapped in as the published snapshot."""

    fields: list[dict[str, Any]]
    records: list[dict[str, Any]]


def extract(resources: list[tuple[dict[str, Any], bytes]]) -> Extracted:
    """Read every (resource body, file bytes) pair, in resource order."""
    if not resources:
        raise ExtractionError("Le jeu n'a aucune ressource à traiter.")
    labels: list[str] = []
    rows: list[dict[str, Any]] = []
    for body, data in resources:
        resource_labels, resource_rows = _read(body, data)
        labels.extend(label for label in resource_labels if label not in labels)
        rows.extend(resource_rows)
    names = field_names(labels)
    types = {label: _column_type(row.get(label) for row in rows) for label in labels}
    fields = [
        {
            "name": names[label],
            "label": label,
            "type": types[label],
            "annotations": {},
            "description": None,
        }
        for label in labels
    ]
    records = [
        {names[label]: _convert(row.get(label), types[label]) for label in labels} for row in rows
    ]
    return Extracted(fields, records)


def _read(body: dict[str, Any], data: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    kind = body.get("type")
    title = body.get("title") or "ressource"
    params = body.get("params") or {}
    if kind == "csvfile":
        return _read_csv(title, params, data)
    if kind in ("jsonfile", "geojsonfile"):
        document = _load_json(title, params, data)
        if kind == "geojsonfile":
            return _read_geojson(title, document)
        return _read_json(title, params, document)
    raise ExtractionError(f"{title} : extracteur « {kind} » non pris en charge par le bac à sable.")


def _decode(title: str, params: dict[str, Any], data: bytes) -> str:
    encoding = str(params.get("encoding") or "utf-8")
    try:
        text = data.decode(encoding)
    except LookupError:
        raise ExtractionError(f"{title} : encodage « {encoding} » inconnu.") from None
    except UnicodeDecodeError as exc:
        raise ExtractionError(
            f"{title} : le fichier n'est pas lisible en {encoding} (octet {exc.start})."
        ) from None
    return text.removeprefix("\ufeff")


def _read_csv(
    title: str, params: dict[str, Any], data: bytes
) -> tuple[list[str], list[dict[str, Any]]]:
    text = _decode(title, params, data)
    separator = str(params.get("separator") or ",")
    if len(separator) != 1:
        raise ExtractionError(f"{title} : séparateur « {separator} » invalide (un caractère).")
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=separator,
        doublequote=bool(params.get("doublequote", True)),
        strict=True,
    )
    lines: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                lines.append((reader.line_num, row))
    except csv.Error as exc:
        raise ExtractionError(
            f"{title}, ligne {reader.line_num} : CSV mal formé ({exc})."
        ) from None
    first = max(int(params.get("first_row_no") or 1), 1)
    lines = [(number, row) for number, row in lines if number >= first]
    if not lines:
        raise ExtractionError(f"{title} : le fichier ne contient aucune ligne.")
    if params.get("headers_first_row", True):
        header = _distinct([cell.strip() for cell in lines.pop(0)[1]])
    else:
        header = [f"column_{index}" for index in range(1, max(len(r) for _, r in lines) + 1)]
    rows = []
    for number, row in lines:
        if len(row) != len(header):
            raise ExtractionError(
                f"{title}, ligne {number} : {len(row)} cellules au lieu de {len(header)} "
                f"(séparateur « {separator} » attendu)."
            )
        rows.append(dict(zip(header, row, strict=True)))
    return header, rows


def _distinct(header: list[str]) -> list[str]:
    """Repeated header cells become `Code`, `Code 2`… so that no column is lost."""
    seen: list[str] = []
    for label in header:
        candidate, counter = label, 2
        while candidate in seen:
            candidate, counter = f"{label} {counter}", counter + 1
        seen.append(candidate)
    return seen


def _load_json(title: str, params: dict[str, Any], data: bytes) -> Any:
    try:
        return json.loads(_decode(title, params, data))
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"{title}, ligne {exc.lineno} : JSON invalide ({exc.msg}).") from None


def _read_json(
    title: str, params: dict[str, Any], document: Any
) -> tuple[list[str], list[dict[str, Any]]]:
    root = str(params.get("json_root") or "")
    for key in filter(None, root.split(".")):
        document = document.get(key) if isinstance(document, dict) else None
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise ExtractionError(f"{title} : un tableau d'objets JSON est attendu.")
    labels: list[str] = []
    for item in document:
        labels.extend(key for key in item if key not in labels)
    return labels, document


def _read_geojson(title: str, document: Any) -> tuple[list[str], list[dict[str, Any]]]:
    is_collection = isinstance(document, dict) and document.get("type") == "FeatureCollection"
    features = document.get("features") if is_collection else None
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise ExtractionError(f"{title} : une FeatureCollection GeoJSON est attendue.")
    labels = ["geo_point_2d", "geo_shape"]
    rows = []
    for feature in features:
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry")
        labels.extend(key for key in properties if key not in labels)
        rows.append({**properties, "geo_point_2d": _centre(geometry), "geo_shape": geometry})
    return labels, rows


def _centre(geometry: Any) -> dict[str, float] | None:
    """The point itself, or the middle of the bounding box of any other geometry."""
    points: list[tuple[float, float]] = []

    def walk(coordinates: Any) -> None:
        if (
            isinstance(coordinates, list)
            and len(coordinates) >= 2
            and all(isinstance(c, int | float) for c in coordinates[:2])
        ):
            points.append((float(coordinates[0]), float(coordinates[1])))
        elif isinstance(coordinates, list):
            for part in coordinates:
                walk(part)

    walk((geometry or {}).get("coordinates"))
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return {"lat": (min(lats) + max(lats)) / 2, "lon": (min(lons) + max(lons)) / 2}


def _kind(value: Any) -> str | None:
    """Type one value would have on its own; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dict):
        if set(value) == {"lat", "lon"}:
            return "geo_point_2d"
        return "geo_shape" if "coordinates" in value else "text"
    if not isinstance(value, str):
        return "text"
    text = value.strip()
    if INT.fullmatch(text):
        return "int"
    if DOUBLE.fullmatch(text):
        return "double"
    if DATE.fullmatch(text) and _parses(date.fromisoformat, text):
        return "date"
    if DATETIME.fullmatch(text) and _parses(datetime.fromisoformat, text):
        return "datetime"
    match = GEO_POINT.fullmatch(text)
    if match and abs(float(match[1])) <= 90 and abs(float(match[2])) <= 180:
        return "geo_point_2d"
    return "text"


def _parses(parser: Any, text: str) -> bool:
    try:
        parser(text)
    except ValueError:
        return False
    return True


def _column_type(values: Any) -> str:
    kinds = {kind for kind in map(_kind, values) if kind is not None}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds and kinds <= NUMERIC:
        return "double"
    return "text"


def _convert(value: Any, field_type: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if field_type == "int":
            return int(text)
        if field_type == "double":
            return float(text)
        if field_type == "geo_point_2d":
            lat, lon = (float(part) for part in text.split(","))
            return {"lat": lat, "lon": lon}
        return value
    if field_type == "double" and isinstance(value, int | float):
        return float(value)
    if field_type == "text" and isinstance(value, bool | int | float):
        return str(value)
    return value
