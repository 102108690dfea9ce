"""Publish validated datasets to an Opendatasoft portal, or to the local sandbox portal."""

from publisher.portal.client import AutomationClient
from publisher.portal.payload import DatasetPayload, ResourceFile
from publisher.portal.sandbox import SandboxServer
from publisher.portal.sync import Change, Outcome, apply_changes, plan_changes

__all__ = [
    "AutomationClient",
    "Change",
    "DatasetPayload",
    "Outcome",
    "ResourceFile",
    "SandboxServer",
    "apply_changes",
    "plan_changes",
]
