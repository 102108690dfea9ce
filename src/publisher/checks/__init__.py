"""Check families, one module each, registered in `publisher.checks.registry`."""

from publisher.checks.registry import (
    FAMILIES,
    BaseFamily,
    CheckFamily,
    DatasetContext,
    ResourceContext,
    families,
    register,
)

__all__ = [
    "FAMILIES",
    "BaseFamily",
    "CheckFamily",
    "DatasetContext",
    "ResourceContext",
    "families",
    "register",
]
