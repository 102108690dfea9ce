"""The audit document: per commune and per rule, conforme / non conforme / à attester / non
applicable, with the reason, the evidence and the legal reference.

`build_audit` is a pure function of the federation model, the validation's findings, the rules
registry, the attestations (in the model) and the day: it never re-runs a check. Everything is
sorted, so the same inputs give the same document apart from `generated_at`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from datetime import date, datetime
from typing import Any

from publisher import __version__
from publisher.audit.coverage import (
    OBLIGATIONS,
    Coverage,
    RowProblem,
    coverage,
    datasets_of,
    missing_files,
)
from publisher.audit.registry import Registry, Rule, load_registry
from publisher.audit.scope import Duty, commune_scope
from publisher.catalogue.files import FileHashes
from publisher.catalogue.quality import Quality, quality
from publisher.errors import ConfigurationError
from publisher.findings import Finding, Severity
from publisher.i18n import N_, Translator, current, translator
from publisher.model import Attestation, Commune, Dataset, Federation
from publisher.validation import PARIS, Validation

AUDIT_VERSION = "1.0"
STATUSES = ("compliant", "non_compliant", "needs_attestation", "not_applicable")
STATUS_LABELS = {
    "compliant": N_("conforme"),
    "non_compliant": N_("non conforme"),
    "needs_attestation": N_("à attester"),
    "not_applicable": N_("non applicable"),
}
_FAILING = (Severity.ERROR, Severity.WARNING)


@dataclass(frozen=True)
class FindingEvidence:
    """The findings of one code that bear on a rule: how many, and where."""

    code: str
    severity: str
    count: int
    locations: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class FileEvidence:
    path: str
    sha256: str


@dataclass(frozen=True)
class SchemaEvidence:
    ref: str
    sha256: str


@dataclass(frozen=True)
class Evidence:
    """What the status rests on: findings, files read (with their fingerprint), shared schemas,
    facts of commune.yaml, rows breaking the duty, and the tool and day of the audit."""

    findings: tuple[FindingEvidence, ...] = ()
    files: tuple[FileEvidence, ...] = ()
    schemas: tuple[SchemaEvidence, ...] = ()
    facts: tuple[dict[str, str], ...] = ()
    rows: tuple[RowProblem, ...] = ()
    tool: str = f"publisher {__version__}"
    checked_on: str = ""


@dataclass(frozen=True)
class AttestationView:
    """An attestation as the audit shows it, with its state on the day of the audit."""

    rule: str
    signatory: str
    role: str
    date: str
    evidence: str
    expires: str
    statement: str | None
    state: str
    """`valid`, `expired` or `not_yet_valid`."""


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str
    family: str
    severity: str
    legal_basis: str
    url: str
    status: str
    status_label: str
    reason: str
    automatic: str | None
    to_attest: str | None
    left_out: str | None
    evidence: Evidence
    attestation: AttestationView | None = None


@dataclass(frozen=True)
class CommuneAudit:
    slug: str
    name: str
    insee: str
    siren: str
    population: int
    millesime: int
    staff_fte: float
    roles: tuple[str, ...]
    scope: tuple[dict[str, Any], ...]
    counts: dict[str, int]
    rules: tuple[RuleResult, ...]
    obligations: tuple[Coverage, ...]
    attestations: tuple[AttestationView, ...]
    quality: tuple[Quality, ...]


@dataclass(frozen=True)
class AuditDocument:
    """The whole audit: rules registry, then one entry per commune, in the federation's order."""

    generated_at: str
    today: str
    language: str
    federation: dict[str, str]
    registry: dict[str, Any]
    counts: dict[str, int]
    communes: tuple[CommuneAudit, ...]
    tool: dict[str, str] = field(
        default_factory=lambda: {"name": "publisher", "version": __version__}
    )
    audit_version: str = AUDIT_VERSION

    def only(self, slug: str) -> AuditDocument:
        """The same audit restricted to one commune (its own report)."""
        communes = tuple(c for c in self.communes if c.slug == slug)
        return replace(self, communes=communes, counts=_counts(communes))

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


def build_audit(
    federation: Federation,
    validation: Validation,
    *,
    registry: Registry | None = None,
    today: date | None = None,
    language: str | None = None,
) -> AuditDocument:
    """Audit every commune of the (possibly filtered) federation against the registry."""
    registry = registry or load_registry()
    tr = translator(language) if language else current()
    now = datetime.now(PARIS)
    today = today or now.date()
    hashes = FileHashes(federation.root)
    communes = tuple(
        _audit_commune(commune, federation, validation, registry, today, tr, hashes)
        for commune in federation.communes
    )
    return AuditDocument(
        generated_at=now.isoformat(timespec="seconds"),
        today=today.isoformat(),
        language=tr.language,
        federation={
            "name": federation.name,
            "siren": federation.siren,
            "portal": federation.portal.url,
        },
        registry={
            "sha256": registry.sha256,
            "rules": [_rule_entry(rule) for rule in registry.rules],
        },
        counts=_counts(communes),
        communes=communes,
    )


def _audit_commune(
    commune: Commune,
    federation: Federation,
    validation: Validation,
    registry: Registry,
    today: date,
    tr: Translator,
    hashes: FileHashes,
) -> CommuneAudit:
    _check_attestations(commune, registry)
    scope = commune_scope(commune, tr)
    covered = {
        rule.obligation: coverage(
            commune,
            OBLIGATIONS[rule.obligation],
            rule.code,
            scope[rule.scope].applies,
            validation,
            today,
            tr,
        )
        for rule in registry.rules
        if rule.obligation is not None
    }
    auditor = _RuleAuditor(commune, federation, validation, today, tr, hashes, covered)
    results = tuple(auditor.result(rule, scope[rule.scope]) for rule in registry.rules)
    return CommuneAudit(
        slug=commune.slug,
        name=commune.name,
        insee=commune.insee,
        siren=commune.siren,
        population=commune.population_total,
        millesime=commune.population_millesime,
        staff_fte=commune.staff_fte,
        roles=tuple(sorted(commune.roles)),
        scope=tuple(
            {"scope": duty.scope, "applies": duty.applies, "reason": duty.reason}
            for duty in scope.values()
        ),
        counts=_status_counts(results),
        rules=results,
        obligations=tuple(covered[key] for key in OBLIGATIONS if key in covered),
        attestations=tuple(
            _view(a, today)
            for a in sorted(commune.attestations, key=lambda a: (a.rule, a.signed, a.expires))
        ),
        quality=tuple(quality(d, validation, today, tr) for d in commune.datasets),
    )


def _check_attestations(commune: Commune, registry: Registry) -> None:
    known = set(registry.codes())
    for attestation in commune.attestations:
        if attestation.rule not in known:
            raise ConfigurationError(
                f"règle « {attestation.rule} » inconnue (ligne {attestation.line})",
                path=commune.attestations_path,
                hint="Utilisez un code du registre des règles (publisher audit, docs/audit.md).",
            )


class _RuleAuditor:
    """Decides each rule's status for one commune, from its scope, findings and attestations."""

    def __init__(
        self,
        commune: Commune,
        federation: Federation,
        validation: Validation,
        today: date,
        tr: Translator,
        hashes: FileHashes,
        covered: dict[str, Coverage],
    ):
        self.commune = commune
        self.federation = federation
        self.validation = validation
        self.today = today
        self.tr = tr
        self.hashes = hashes
        self.covered = covered
        self.findings = validation.of_commune(commune)
        self.conditions = {
            "homologation": any(d.license_homologation for d in commune.datasets),
            "exception": _declares(commune.datasets, "publiées sous exception"),
            "anonymised": _declares(commune.datasets, "anonymisées"),
        }

    def result(self, rule: Rule, duty: Duty) -> RuleResult:
        _ = self.tr.gettext
        datasets = self._datasets(rule)
        evidence = self._evidence(rule, datasets)
        attestation = self._attestation(rule)
        if not duty.applies:
            status, reason = "not_applicable", duty.reason
        else:
            problems = self._problems(rule, evidence)
            if problems:
                status, reason = "non_compliant", " ".join(problems)
            elif rule.attestation and (
                rule.attestation_if is None or self.conditions[rule.attestation_if]
            ):
                status, reason = self._attested(rule, attestation)
            elif rule.automatic:
                status, reason = "compliant", _("Partie automatique conforme : aucun constat.")
            else:
                status, reason = "compliant", _("Rien à vérifier ni à attester pour la commune.")
            if rule.obligation is not None:
                reason = " ".join([reason, *self.covered[rule.obligation].notes])
        return RuleResult(
            code=rule.code,
            title=rule.title,
            family=rule.family,
            severity=rule.severity,
            legal_basis=rule.legal_basis,
            url=rule.url,
            status=status,
            status_label=_(STATUS_LABELS[status]),
            reason=reason,
            automatic=rule.automatic,
            to_attest=rule.attestation,
            left_out=rule.left_out,
            evidence=evidence,
            attestation=attestation,
        )

    def _datasets(self, rule: Rule) -> tuple[Dataset, ...]:
        if rule.obligation is not None:
            obligation = OBLIGATIONS[rule.obligation]
            found = datasets_of(self.commune, obligation)
            return found or tuple(d for d, _paths in missing_files(self.commune, obligation))
        if rule.scope == "transport":
            return tuple(d for d in self.commune.datasets if d.regime == "transport")
        return self.commune.datasets if rule.automatic else ()

    def _problems(self, rule: Rule, evidence: Evidence) -> list[str]:
        _ = self.tr.gettext
        problems = []
        if rule.obligation is not None:
            cover = self.covered[rule.obligation]
            if cover.status in ("missing", "stale"):
                problems.append(cover.reason)
            if cover.rows:
                problems.append(
                    self.tr.count(
                        len(cover.rows),
                        "%(num)s ligne ne respecte pas l'obligation.",
                        "%(num)s lignes ne respectent pas l'obligation.",
                    )
                )
        if evidence.findings:
            total = sum(f.count for f in evidence.findings)
            codes = ", ".join(f.code for f in evidence.findings)
            problems.append(
                self.tr.count(total, "%(num)s constat", "%(num)s constats") + " (" + codes + ")."
            )
        return problems

    def _attested(self, rule: Rule, attestation: AttestationView | None) -> tuple[str, str]:
        _ = self.tr.gettext
        checked = (
            _("Partie automatique conforme ; ") if rule.automatic else _("Rien d'automatique ; ")
        )
        if attestation is None:
            return "needs_attestation", checked + _("à attester : {what}").format(
                what=rule.attestation
            )
        facts = {
            "signatory": attestation.signatory,
            "role": attestation.role,
            "date": attestation.date,
            "expires": attestation.expires,
        }
        if attestation.state == "valid":
            text = _("attesté par {signatory} ({role}) le {date}, valable jusqu'au {expires}.")
            return "compliant", checked + text.format(**facts)
        if attestation.state == "expired":
            text = _(
                "l'attestation de {signatory} du {date} a expiré le {expires} : elle compte "
                "comme absente, à attester de nouveau."
            )
        else:
            text = _("l'attestation de {signatory} ne vaut qu'à partir du {date}.")
        return "needs_attestation", checked + text.format(**facts)

    def _attestation(self, rule: Rule) -> AttestationView | None:
        """The most recent attestation of the rule (valid ones first)."""
        views = [_view(a, self.today) for a in self.commune.attestations if a.rule == rule.code]
        if not views:
            return None
        return max(views, key=lambda v: (v.state == "valid", v.date, v.expires))

    def _evidence(self, rule: Rule, datasets: tuple[Dataset, ...]) -> Evidence:
        names = {d.name for d in datasets}
        relevant = [
            f
            for f in self.findings
            if f.severity in _FAILING
            and f.location.dataset in names
            and ((rule.obligation is not None and "*" in rule.findings) or rule.matches(f.code))
        ]
        files = sorted(
            {d.relpath for d in datasets if d.descriptor_path.is_file()}
            | {r.relpath for d in datasets for r in d.resources}
            | set(self._commune_files(rule))
        )
        schemas = {
            r.schema: self.federation.registry.find(r.schema)
            for d in datasets
            for r in d.resources
            if r.schema
        }
        return Evidence(
            findings=_grouped(relevant),
            files=tuple(FileEvidence(path, self.hashes.sha256(path)) for path in files),
            schemas=tuple(
                SchemaEvidence(ref, schema.sha256)
                for ref, schema in sorted(schemas.items())
                if schema is not None
            ),
            facts=self._facts(rule, datasets),
            rows=self.covered[rule.obligation].rows if rule.obligation else (),
            checked_on=self.today.isoformat(),
        )

    def _commune_files(self, rule: Rule) -> list[str]:
        """commune.yaml backs the scope rules; attestations.yaml every attested rule."""
        files = []
        if rule.code.startswith("SCOPE-") or rule.scope.startswith("role:"):
            files.append(f"communes/{self.commune.slug}/commune.yaml")
        if self.commune.attestations_path and any(
            a.rule == rule.code for a in self.commune.attestations
        ):
            files.append(self.commune.attestations_path)
        return files

    def _facts(self, rule: Rule, datasets: tuple[Dataset, ...]) -> tuple[dict[str, str], ...]:
        _ = self.tr.gettext
        c = self.commune
        facts: list[tuple[str, Any]] = []
        if rule.code == "SCOPE-01":
            facts = [
                (_("Code INSEE"), c.insee),
                (_("Population totale"), self.tr.number(c.population_total)),
                (_("Millésime"), c.population_millesime),
                (_("Source"), c.population_source or "—"),
            ]
        elif rule.code == "SCOPE-02":
            facts = [
                (_("Agents en ETP"), self.tr.number(c.staff_fte)),
                (_("Date"), c.staff_fte_date or "—"),
                (_("Source"), c.staff_fte_source or "—"),
            ]
        elif rule.code == "SCOPE-03":
            facts = [(_("SIREN"), c.siren), (_("SIRET de la mairie"), c.siret or "—")]
        elif rule.scope.startswith("role:"):
            facts = [(_("Rôles déclarés"), ", ".join(sorted(c.roles)) or "—")]
        if rule.obligation is not None or rule.scope == "transport":
            facts.append(
                (_("Jeux de données"), ", ".join(sorted(d.portal_id for d in datasets)) or "—")
            )
        return tuple({"label": label, "value": str(value)} for label, value in facts)


def _declares(datasets: Iterable[Dataset], status: str) -> bool:
    return any(d.personal_data is not None and d.personal_data.status == status for d in datasets)


def _grouped(findings: list[Finding]) -> tuple[FindingEvidence, ...]:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    return tuple(
        FindingEvidence(
            code=code,
            severity=items[0].severity.value,
            count=len(items),
            locations=tuple(
                {
                    "dataset": f.location.dataset,
                    "path": f.location.path,
                    "row": f.location.row,
                    "column": f.location.column,
                    "key": f.location.key,
                }
                for f in sorted(items, key=Finding.sort_key)
            ),
        )
        for code, items in sorted(by_code.items())
    )


def _view(attestation: Attestation, today: date) -> AttestationView:
    day = today.isoformat()
    if attestation.is_valid_on(day):
        state = "valid"
    elif day > attestation.expires:
        state = "expired"
    else:
        state = "not_yet_valid"
    return AttestationView(
        rule=attestation.rule,
        signatory=attestation.signatory,
        role=attestation.role,
        date=attestation.signed,
        evidence=attestation.evidence,
        expires=attestation.expires,
        statement=attestation.statement,
        state=state,
    )


def _rule_entry(rule: Rule) -> dict[str, Any]:
    entry = asdict(rule)
    entry["findings"] = list(rule.findings)
    return entry


def _status_counts(results: Iterable[RuleResult]) -> dict[str, int]:
    """Rules by status, every status present (zero included)."""
    counts = Counter(result.status for result in results)
    return {status: counts.get(status, 0) for status in STATUSES}


def _counts(communes: tuple[CommuneAudit, ...]) -> dict[str, int]:
    return _status_counts(result for commune in communes for result in commune.rules)


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready dicts and lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in vars(value).items()}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
