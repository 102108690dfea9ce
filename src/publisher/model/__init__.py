"""The data repository as typed objects: federation → communes → datasets → resources."""

from publisher.model.entities import (
    Attestation,
    Commune,
    Dataset,
    Federation,
    PersonalData,
    Portal,
    Resource,
)
from publisher.model.loader import find_root, load_dataset, load_federation, load_schema_registry

__all__ = [
    "Attestation",
    "Commune",
    "Dataset",
    "Federation",
    "PersonalData",
    "Portal",
    "Resource",
    "find_root",
    "load_dataset",
    "load_federation",
    "load_schema_registry",
]
