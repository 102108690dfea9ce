"""Publish validated datasets to an Opendatasoft portal, or to the local sandbox portal."""

from publisher.portal.client import AutomationClient
from publisher.portal.payload import DatasetPayload, ResourceFile
from publisher.portal.sandbox import Faults, SandboxServer
from publisher.portal.state import PortalState
from publisher.portal.sync import (
    Change,
    Outcome,
    Plan,
    ReadBack,
    apply_changes,
    plan_changes,
    read_back_dataset,
)

__all__ = [
    "AutomationClient",
    "Change",
    "DatasetPayload",
    "Faults",
    "Outcome",
    "Plan",
    "PortalState",
    "ReadBack",
    "ResourceFile",
    "SandboxServer",
    "apply_changes",
    "plan_changes",
    "read_back_dataset",
]
