"""The legal compliance audit: rules registry, scope, obligations coverage, attestations, and
the audit document with its HTML and JSON renderings."""

from publisher.audit.document import STATUSES, AuditDocument, build_audit
from publisher.audit.registry import Registry, Rule, load_registry

__all__ = ["STATUSES", "AuditDocument", "Registry", "Rule", "build_audit", "load_registry"]
