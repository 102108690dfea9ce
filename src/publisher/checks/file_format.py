"""File format family: what reading found in the files (container, encoding, delimiter, shape)."""

from __future__ import annotations

from collections.abc import Iterable

from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.findings import Finding


@register
class FileFormatFamily(BaseFamily):
    """Files are sniffed once, by the reader (rule FMT-01: open, readable formats); its
    findings flow through the registry like every other finding."""

    name = "file-format"
    codes = ("FMT-01", "FMT-ENCODING", "FMT-DELIMITER", "FMT-EMPTY", "FMT-HEADER-ONLY")

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        return context.read.findings
