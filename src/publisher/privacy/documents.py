"""JSON and GeoJSON documents as tables, so the same column-wise scanner reads them.

A GeoJSON feature is a row: its properties are columns (nested keys joined with dots) and a
point geometry gives `latitude` and `longitude`. Any other JSON document is split into
records (its largest list of objects, or the document itself) and each record is flattened
the same way; lists of values are joined with « | ». Row numbers count records from 1.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

SEPARATOR = " | "


def document_table(document: object) -> tuple[pl.DataFrame, pl.Series]:
    """The document's records as text columns, and each record's number (from 1)."""
    records = [_flatten(record) for record in _records(document)]
    columns = list(dict.fromkeys(key for record in records for key in record))
    frame = pl.DataFrame(
        {column: [record.get(column) for record in records] for column in columns},
        schema=dict.fromkeys(columns, pl.String),
    )
    return frame, pl.Series("_row", range(1, len(records) + 1), dtype=pl.Int64)


def _records(document: object) -> list[Any]:
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        return [_feature(feature) for feature in document.get("features") or []]
    if isinstance(document, dict) and document.get("type") == "Feature":
        return [_feature(document)]
    if isinstance(document, list):
        return document
    best = _largest_record_list(document)
    return best if best is not None else [document]


def _largest_record_list(node: object) -> list[Any] | None:
    """The longest list of objects anywhere in the document (DECP `marches`, API `results`)."""
    best: list[Any] | None = None
    stack = [node]
    while stack:
        current = stack.pop()
        children = (
            current.values()
            if isinstance(current, dict)
            else (current if isinstance(current, list) else ())
        )
        records = isinstance(current, list) and any(isinstance(item, dict) for item in current)
        if records and (best is None or len(current) > len(best)):
            best = current
        stack.extend(child for child in children if isinstance(child, dict | list))
    return best


def _feature(feature: object) -> dict[str, Any]:
    if not isinstance(feature, dict):
        return {"feature": feature}
    record = dict(feature.get("properties") or {})
    geometry = feature.get("geometry") or {}
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
        record["longitude"], record["latitude"] = coordinates[0], coordinates[1]
    return record


def _flatten(record: object, prefix: str = "") -> dict[str, str]:
    """`{"a": {"b": 1}, "c": [1, 2]}` → `{"a.b": "1", "c": "1 | 2"}`."""
    if not isinstance(record, dict):
        return {prefix or "valeur": _text(record)}
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(_flatten(value, name))
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for item in value:
                for sub_key, sub_value in _flatten(item, name).items():
                    flat[sub_key] = (
                        f"{flat[sub_key]}{SEPARATOR}{sub_value}" if sub_key in flat else sub_value
                    )
        else:
            flat[name] = _text(value)
    return flat


def _text(value: object) -> str:
    if isinstance(value, list):
        return SEPARATOR.join(_text(item) for item in value)
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value, ensure_ascii=False)
