"""A local Opendatasoft-like portal (Automation v1 + Explore v2.1) for tests and demos."""

from publisher.portal.sandbox.app import create_app
from publisher.portal.sandbox.server import SandboxServer, serve_forever
from publisher.portal.sandbox.settings import Faults, SandboxSettings

__all__ = ["Faults", "SandboxServer", "SandboxSettings", "create_app", "serve_forever"]
