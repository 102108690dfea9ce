"""Descriptor family: what loading found wrong in datapackage.yaml."""

from __future__ import annotations

from collections.abc import Iterable

from publisher.checks.registry import BaseFamily, DatasetContext, register
from publisher.findings import Finding


@register
class DescriptorFamily(BaseFamily):
    """Descriptor problems are found once, by the loader; they flow through the registry like
    every other finding."""

    name = "descriptor"
    codes = (
        "DESC-YAML",
        "DESC-ENCODING",
        "DESC-MISSING",
        "DESC-PROFILE",
        "DESC-NAME",
        "DESC-PATH",
        "DESC-FILE-MISSING",
        "DESC-SCHEMA-UNKNOWN",
    )

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]:
        return context.dataset.problems
