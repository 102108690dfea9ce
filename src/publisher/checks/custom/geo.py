"""french-gps-coordinates: a geopoint inside France (metropolitan France, Guadeloupe,
Martinique, Guyane, La Réunion, Mayotte).

The reference validator tests the point against the same six bounding boxes (strictly inside,
with shapely); a point outside that falls inside once longitude and latitude are swapped is
reported as reversed. Boxes are rectangles, so plain comparisons over whole columns do it.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from publisher.checks.custom.base import CustomCheck, custom_check
from publisher.findings import Finding

FRANCE_BOXES = (  # name, min longitude, min latitude, max longitude, max latitude
    ("Guadeloupe", -61.809839, 15.832041, -61.001959, 16.514488),
    ("Martinique", -61.229033, 14.388646, -60.809655, 14.878723),
    ("Guyane", -54.60239, 2.111055, -51.619041, 5.748138),
    ("La Réunion", 55.216526, -21.389631, 55.836654, -20.8718),
    ("Mayotte", 45.01833, -13.005254, 45.299985, -12.63659),
    ("France métropolitaine", -5.141277, 41.333571, 9.560091, 51.088989),
)

_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
_PATTERNS = {
    "default": r"^\s*([^,]*?)\s*,\s*([^,]*?)\s*$",
    "array": rf'^\s*\[\s*"?({_NUMBER})"?\s*,\s*"?({_NUMBER})"?\s*\]\s*$',
}


def in_france(lon: pl.Expr, lat: pl.Expr) -> pl.Expr:
    return pl.any_horizontal(
        [
            (lon > x_min) & (lon < x_max) & (lat > y_min) & (lat < y_max)
            for _, x_min, y_min, x_max, y_max in FRANCE_BOXES
        ]
    )


def geopoint(cell: pl.Expr, fmt: str) -> tuple[pl.Expr, pl.Expr]:
    """Longitude and latitude as the Table Schema reads a geopoint in format `fmt` ("lon, lat",
    "[lon, lat]" or {"lon": …, "lat": …}); null when unreadable or out of range."""
    if fmt == "object":
        lon = cell.str.json_path_match("$.lon")
        lat = cell.str.json_path_match("$.lat")
    else:
        parts = cell.str.extract_groups(_PATTERNS.get(fmt, _PATTERNS["default"]))
        lon, lat = parts.struct.field("1"), parts.struct.field("2")
    lon, lat = (part.cast(pl.Float64, strict=False) for part in (lon, lat))
    readable = lon.is_between(-180, 180) & lat.is_between(-90, 90)
    return pl.when(readable).then(lon), pl.when(readable).then(lat)


@custom_check("french-gps-coordinates")
def french_gps_coordinates(check: CustomCheck) -> Iterator[Finding]:
    column = check.column_param("column")
    if not check.present(column):
        return
    field = check.field(column)
    fmt = field.get("format", "default") if field.get("type") == "geopoint" else "default"
    lon, lat = geopoint(pl.col(column), fmt if isinstance(fmt, str) else "default")
    outside = ~check.empty(column) & lon.is_not_null() & ~in_france(lon, lat)
    reversed_inside = in_france(lat, lon)
    for code, failed in (
        ("FR-GPS-REVERSED", outside & reversed_inside),
        ("FR-GPS", outside & ~reversed_inside),
    ):
        yield from check.cell_findings(check.failing_rows(failed, pl.col(column)), code, column)
