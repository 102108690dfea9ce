"""Custom checks family: the `custom_checks` a shared schema declares, with the semantics of the
reference validator (validata-core), each as polars expressions over whole columns.

One module per kind of check: `identifiers` (SIRET, SIREN), `columns` (checks across the cells
of a row), `formats` (one cell's format), `geo` (coordinates in France). A check the schema
declares but publisher does not know is said so, never skipped in silence; one declared with
unusable parameters is reported once, as the reference validator refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from publisher.checks.custom import columns, formats, geo, identifiers  # noqa: F401
from publisher.checks.custom.base import CHECKS, CustomCheck, InvalidParams
from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.codes import french, make
from publisher.findings import Finding


@register
class CustomChecksFamily(BaseFamily):
    name = "custom-checks"
    codes = tuple(code.code for code in french.CODES)

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        table, schema = context.read.table, context.schema
        if table is None or schema is None:
            return
        declared = schema.descriptor.get("custom_checks") or []
        for entry in declared if isinstance(declared, list) else [declared]:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
                yield _unusable(context, "?", "entrée sans nom de contrôle (« name »)")
                continue
            params = entry.get("params")
            check = CustomCheck(
                entry["name"],
                params if isinstance(params, Mapping) else {},
                table,
                schema.descriptor,
                schema.ref,
                context.where,
            )
            function = CHECKS.get(check.name)
            if function is None:
                shown = ", ".join(f"{k}={v}" for k, v in sorted(check.params.items()))
                yield make(
                    "SCHEMA-CUSTOM-UNCHECKED",
                    context.where,
                    check=check.name,
                    params=shown or "sans paramètre",
                    schema=schema.ref,
                )
                continue
            try:
                yield from list(function(check))
            except InvalidParams as problem:
                yield _unusable(context, check.name, str(problem))
            except pl.exceptions.ComputeError:  # a date format polars refuses
                reason = "le format déclaré d'une de ses colonnes ne peut pas être lu"
                yield _unusable(context, check.name, reason)


def _unusable(context: ResourceContext, check: str, reason: str) -> Finding:
    schema = context.schema.ref if context.schema is not None else "?"
    return make("SCHEMA-CUSTOM-PARAMS", context.where, check=check, reason=reason, schema=schema)
