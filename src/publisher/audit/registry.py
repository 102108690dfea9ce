"""The rules registry: every checkable rule of the law as data (`rules.yaml`), loaded once.

The audit reads what a rule means, who it binds and how its status is decided from this file
only; no rule is hard-coded elsewhere. A broken registry is a packaging error, said in French.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources

import yaml

from publisher.audit.coverage import OBLIGATIONS
from publisher.errors import PublisherError

SEVERITIES = ("error", "warning", "info")
SCOPES = ("any", "l312", "cgct", "rem", "transport", "software", "reference")
ROLES = ("amenageur-irve", "gestionnaire-stationnement")
ATTESTATION_CONDITIONS = ("homologation", "exception", "anonymised")
ANY_FINDING = "*"


@dataclass(frozen=True)
class Rule:
    """One rule: its legal basis, who it binds, what is checked and what must be attested."""

    code: str
    title: str
    family: str
    legal_basis: str
    url: str
    severity: str
    scope: str
    automatic: str | None
    attestation: str | None
    findings: tuple[str, ...] = ()
    obligation: str | None = None
    attestation_if: str | None = None
    left_out: str | None = None

    def matches(self, code: str) -> bool:
        """True when a finding of this code bears on the rule (patterns as in rules.yaml)."""
        return any(fnmatchcase(code, pattern) for pattern in self.findings)


@dataclass(frozen=True)
class Registry:
    """The rules in the registry's order, and the fingerprint of the file they come from."""

    rules: tuple[Rule, ...]
    sha256: str

    def codes(self) -> tuple[str, ...]:
        return tuple(rule.code for rule in self.rules)

    def rule(self, code: str) -> Rule:
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)


@cache
def load_registry() -> Registry:
    """The registry shipped with publisher (`audit/rules.yaml`)."""
    raw = resources.files("publisher.audit").joinpath("rules.yaml").read_bytes()
    return parse_registry(raw)


def parse_registry(raw: bytes) -> Registry:
    data = yaml.safe_load(raw)
    rules = []
    for entry in data["rules"]:
        rule = Rule(**{**entry, "findings": tuple(entry.get("findings") or ())})
        _check(rule)
        rules.append(rule)
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        raise PublisherError("registre des règles : un code de règle est défini deux fois")
    return Registry(tuple(rules), hashlib.sha256(raw).hexdigest())


def _check(rule: Rule) -> None:
    problems = []
    if rule.severity not in SEVERITIES:
        problems.append(f"gravité « {rule.severity} » inconnue")
    role = rule.scope.removeprefix("role:")
    if rule.scope not in SCOPES and (not rule.scope.startswith("role:") or role not in ROLES):
        problems.append(f"champ « {rule.scope} » inconnu")
    if rule.attestation_if is not None and rule.attestation_if not in ATTESTATION_CONDITIONS:
        problems.append(f"condition d'attestation « {rule.attestation_if} » inconnue")
    if rule.automatic is None and rule.findings:
        problems.append("des constats sont liés à une règle sans partie automatique")
    if rule.obligation is not None and rule.obligation not in OBLIGATIONS:
        problems.append(f"jeu obligatoire « {rule.obligation} » inconnu")
    if ANY_FINDING in rule.findings and rule.obligation is None:
        problems.append("« * » ne vaut que pour une règle liée à un jeu obligatoire")
    if problems:
        raise PublisherError(f"registre des règles, règle {rule.code} : {' ; '.join(problems)}")


GENERATED_MARKER = (
    "<!-- Tout ce qui suit est généré depuis audit/rules.yaml : python -m publisher.audit -->"
)
_SCOPE_WORDS = {
    "any": "toute commune",
    "l312": "≥ 3 500 hab. et ≥ 50 ETP",
    "cgct": "≥ 3 500 hab.",
    "rem": "> 40 000 hab.",
    "transport": "jeux au régime transport",
    "software": "ressources logicielles",
    "reference": "données de référence",
}


def rules_markdown(registry: Registry | None = None) -> str:
    """The rules table kept at the end of docs/audit.md (a test keeps the two equal)."""
    registry = registry or load_registry()
    lines = [
        GENERATED_MARKER,
        "",
        "## Les 33 règles",
        "",
        "| Règle | Fondement | Gravité | Qui est tenu | Partie automatique | Partie attestée "
        "| Non vérifié, et pourquoi |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in registry.rules:
        scope = _SCOPE_WORDS.get(rule.scope, rule.scope.replace("role:", "rôle "))
        attestation = rule.attestation or "—"
        if rule.attestation and rule.attestation_if:
            attestation += f" *(seulement si : {rule.attestation_if})*"
        cells = [
            f"`{rule.code}` {rule.title}",
            rule.legal_basis,
            rule.severity,
            scope,
            rule.automatic or "—",
            attestation,
            rule.left_out or "—",
        ]
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines) + "\n"
