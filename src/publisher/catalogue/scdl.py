"""Each commune's catalogue in the SCDL format (scdl/catalogue 0.1.3), ready to publish.

One row per dataset the portal holds (those without a blocking finding), written from the
descriptors only. The répertoire of CRPA L322-6 (rule PUB-02) can be this file.
"""

from __future__ import annotations

import csv
import io

from publisher.model import Commune, Dataset, Federation
from publisher.validation import Validation
from publisher.vocabularies import licence

SCHEMA = "scdl/catalogue@0.1.3"
DELIMITER = ";"
COLUMNS = (
    "COLL_NOM",
    "COLL_SIRET",
    "ID",
    "TITRE",
    "DESCRIPTION",
    "THEME",
    "PRODUCTEUR_NOM",
    "PRODUCTEUR_SIRET",
    "COUV_SPAT_MAILLE",
    "COUV_SPAT_NOM",
    "COUV_TEMP_DEBUT",
    "COUV_TEMP_FIN",
    "DATE_PUBL",
    "FREQ_MAJ",
    "DATE_MAJ",
    "MOTS_CLES",
    "LICENCE",
    "NOMBRE_RESSOURCES",
    "FORMAT_RESSOURCES",
    "URL",
)
FREQUENCY_LABELS = {
    "triennial": "Triennale",
    "biennial": "Biennale",
    "annual": "Annuelle",
    "semiannual": "Semestrielle",
    "threeTimesAYear": "Semestrielle",
    "quarterly": "Trimestrielle",
    "bimonthly": "Bimestrielle",
    "monthly": "Mensuelle ou plusieurs fois par mois",
    "semimonthly": "Mensuelle ou plusieurs fois par mois",
    "biweekly": "Mensuelle ou plusieurs fois par mois",
    "threeTimesAMonth": "Mensuelle ou plusieurs fois par mois",
    "weekly": "Hebdomadaire ou plusieurs fois par semaine",
    "semiweekly": "Hebdomadaire ou plusieurs fois par semaine",
    "threeTimesAWeek": "Hebdomadaire ou plusieurs fois par semaine",
    "daily": "Quotidienne ou plusieurs fois par jour",
    "continuous": "Continuelle",
    "irregular": "Irrégulière",
}
"""Dublin Core frequency → the catalogue's FREQ_MAJ list; between two values, the less
frequent one, so the catalogue never promises more than the commune declares."""


def catalogue_licence(name: str) -> str:
    known = licence(name)
    if known is not None:
        return "Open Database License-ODBL" if known.spdx == "ODbL-1.0" else "Licence Ouverte-LO"
    return "Creative Commons-CC" if name.upper().startswith("CC-") else "Spécifique ou autre"


def dataset_page(federation: Federation, dataset: Dataset) -> str:
    """The dataset's page on the portal: its stable address in every catalogue."""
    return f"{federation.portal.url}/explore/dataset/{dataset.portal_id}/"


def published_datasets(commune: Commune, validation: Validation) -> list[Dataset]:
    """Datasets the portal holds: a descriptor, at least one file, no blocking finding."""
    return [
        d for d in commune.datasets if d.descriptor and d.resources and validation.is_publishable(d)
    ]


def catalogue_rows(
    federation: Federation, commune: Commune, validation: Validation
) -> list[dict[str, str]]:
    """One row per published dataset; a dataset without declared temporal coverage is
    described from its first publication to its last update (the metadata pre-score says to
    declare it)."""
    rows = []
    for dataset in published_datasets(commune, validation):
        meta = dataset.descriptor
        publisher = meta.get("publisher") or {}
        temporal = meta.get("temporal") or {}
        issued = str(meta.get("issued") or dataset.modified or "")
        rows.append(
            {
                "COLL_NOM": commune.official_name,
                "COLL_SIRET": commune.siret or "",
                "ID": dataset.portal_id,
                "TITRE": dataset.title,
                "DESCRIPTION": " ".join(dataset.description.split()),
                "THEME": ";".join(dataset.themes),
                "PRODUCTEUR_NOM": publisher.get("name", commune.official_name),
                # the profile records another producer's SIREN only: its SIRET stays empty
                "PRODUCTEUR_SIRET": "" if publisher else commune.siret or "",
                "COUV_SPAT_MAILLE": "Communale",
                "COUV_SPAT_NOM": commune.name,
                "COUV_TEMP_DEBUT": temporal.get("start", issued),
                "COUV_TEMP_FIN": temporal.get("end", dataset.modified or ""),
                "DATE_PUBL": issued,
                "FREQ_MAJ": FREQUENCY_LABELS.get(dataset.frequency or "", "Inconnue"),
                "DATE_MAJ": dataset.modified or "",
                "MOTS_CLES": ";".join(k.lower() for k in dataset.keywords),
                "LICENCE": catalogue_licence(dataset.licenses[0]) if dataset.licenses else "",
                "NOMBRE_RESSOURCES": str(len(dataset.resources)),
                "FORMAT_RESSOURCES": ";".join(sorted({r.format for r in dataset.resources})),
                "URL": dataset_page(federation, dataset),
            }
        )
    return sorted(rows, key=lambda row: row["ID"])


def render_catalogue(rows: list[dict[str, str]]) -> str:
    """CSV in UTF-8, `;` separated, every text field quoted when needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, delimiter=DELIMITER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
