"""Privacy family: personal e-mail addresses, compared with the personal-data declaration.

An address is personal when it sits on a consumer webmail (gmail, orange…) under a
non-functional mailbox, or has the « prénom.nom » shape on a domain that is neither the
commune's nor a public body's. Functional mailboxes (contact@, accueil@, mairie@…) are never
flagged. Columns are scanned whole with polars; values are masked before they leave here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import polars as pl

from publisher.checks.registry import BaseFamily, DatasetContext, ResourceContext, register
from publisher.codes import make
from publisher.findings import Finding, Location, mask_email

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
WEBMAIL_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "hotmail.com",
    "hotmail.fr",
    "outlook.com",
    "outlook.fr",
    "live.fr",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.fr",
    "sfr.fr",
    "neuf.fr",
    "icloud.com",
    "me.com",
    "aol.com",
    "aol.fr",
    "bbox.fr",
    "numericable.fr",
    "gmx.fr",
    "gmx.com",
    "protonmail.com",
    "proton.me",
)
FUNCTIONAL_MAILBOXES = (
    "contact",
    "accueil",
    "mairie",
    "info",
    "infos",
    "information",
    "dpo",
    "rgpd",
    "secretariat",
    "direction",
    "communication",
    "presse",
    "service",
    "services",
    "courrier",
    "admin",
    "association",
    "asso",
    "bureau",
    "president",
    "tresorier",
    "secretaire",
    "club",
    "noreply",
    "no-reply",
    "webmaster",
    "opendata",
    "reservation",
    "inscriptions",
    "inscription",
)
PUBLIC_DOMAINS = ("gouv.fr", "bordeaux-metropole.fr", "mairie-bordeaux.fr", "bordeaux.fr")
"""Public bodies' domains (and their subdomains): nominative agents' addresses there are not
flagged here."""
_PERSON_LOCAL_PART = r"^[a-z][a-z'-]*[._][a-z][a-z'-]+\d*$"

_STATUS_CODES = {
    "absentes": "PRIV-01",
    "publiées sous exception": "PRIV-02",
    "anonymisées": "PRIV-03",
}


def personal_email_kind(address: pl.Expr, own_domains: tuple[str, ...]) -> pl.Expr:
    """Why an address is personal (French), or null when it is functional or institutional."""
    lowered = address.str.to_lowercase()
    local = lowered.str.extract(r"^([^@]+)@", 1)
    domain = lowered.str.extract(r"@(.+)$", 1)
    first, rest = local.str.extract(r"^([^._-]+)", 1), local.str.extract(r"^[^._-]+[._-](.*)$", 1)
    functional = first.is_in(FUNCTIONAL_MAILBOXES) & (rest.is_null() | ~rest.str.contains(r"[._]"))
    institutional = pl.lit(False)
    for public in (*own_domains, *PUBLIC_DOMAINS):
        institutional = institutional | (domain == public) | domain.str.ends_with("." + public)
    return (
        pl.when(functional)
        .then(pl.lit(None, dtype=pl.String))
        .when(domain.is_in(WEBMAIL_DOMAINS))
        .then(pl.lit("messagerie grand public"))
        .when(~institutional & local.str.contains(_PERSON_LOCAL_PART))
        .then(pl.lit("adresse nominative prénom.nom"))
    )


@register
class PrivacyFamily(BaseFamily):
    name = "privacy"
    codes = ("PRIV-01", "PRIV-02", "PRIV-03", "PRIV-CONTACT")

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]:
        """The contact goes to the portal's metadata: it must be a functional mailbox."""
        contributors = context.dataset.descriptor.get("contributors") or []
        emails = [
            (index, c["email"])
            for index, c in enumerate(contributors)
            if isinstance(c, dict) and isinstance(c.get("email"), str)
        ]
        if not emails:
            return
        own_domains = context.commune.email_domains if context.commune else ()
        kinds = pl.select(
            personal_email_kind(pl.Series([email for _, email in emails]), own_domains)
        ).to_series()
        dataset = context.dataset
        for (index, email), kind in zip(emails, kinds, strict=True):
            if kind is not None:
                where = Location(
                    commune=dataset.commune,
                    dataset=dataset.name,
                    path=dataset.relpath,
                    key=f"contributors.{index}.email",
                )
                yield make("PRIV-CONTACT", where, value=mask_email(email), kind=kind)

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        table = context.read.table
        if table is None or table.frame.height == 0:
            return
        declaration = context.dataset.personal_data if context.dataset else None
        status = declaration.status if declaration else "absentes"
        allowed = set(declaration.columns) if declaration else set()
        code = _STATUS_CODES.get(status, "PRIV-01")
        own_domains = context.commune.email_domains if context.commune else ()
        for column in table.frame.columns:
            if code == "PRIV-02" and column in allowed:
                continue
            hits = (
                table.frame.select(
                    pl.col(column).str.extract_all(EMAIL).alias("address"),
                    table.row_numbers.alias("row"),
                )
                .explode("address")
                .drop_nulls("address")
                .with_columns(personal_email_kind(pl.col("address"), own_domains).alias("kind"))
                .drop_nulls("kind")
            )
            for address, row, kind in hits.iter_rows():
                yield make(
                    code,
                    replace(context.where, row=row, column=column),
                    value=mask_email(address),
                    column=column,
                    kind=kind,
                    declared=", ".join(sorted(allowed)) or "aucune",
                )
