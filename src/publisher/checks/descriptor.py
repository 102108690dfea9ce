"""Descriptor family: what loading found in datapackage.yaml and reading found in the files."""

from __future__ import annotations

from collections.abc import Iterable

from publisher.checks.registry import BaseFamily, DatasetContext, ResourceContext, register
from publisher.findings import Finding


@register
class DescriptorFamily(BaseFamily):
    """Reports descriptor problems (found once, by the loader) and file-format problems (found
    once, by the reader) so that they flow through the registry like every other finding."""

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
        "FMT-01",
        "FMT-ENCODING",
        "FMT-DELIMITER",
        "FMT-EMPTY",
    )

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]:
        return context.dataset.problems

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        return context.read.findings
