"""Starting points for officers: `publisher init` (a commune), `publisher new-dataset`.

Both write nothing until every value is known to be valid, then write each file whole.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import friendly_errors, repo_option
from publisher.errors import ConfigurationError
from publisher.i18n import _

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def commune_siren(insee: str) -> str:
    """A commune's SIREN: 21, its département, 0, its number in the département, a Luhn key."""
    from stdnum import luhn

    stem = f"21{insee[:2]}0{insee[2:]}"
    return stem + luhn.calc_check_digit(stem)


def official_name(name: str) -> str:
    """« Commune de Bègles », « Commune du Haillan », « Commune des Eyzies »."""
    for article, joined in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return f"Commune {joined}{name[len(article) :]}"
    return f"Commune de {name}"


def _check_slug(kind: str, value: str) -> None:
    if not SLUG.match(value):
        raise ConfigurationError(
            _("{kind} « {value} » invalide").format(kind=kind, value=value),
            hint=_(
                "Utilisez des minuscules sans accent, des chiffres et des tirets "
                "(ex. : le-haillan)."
            ),
        )


def _check_profile(text: str, profile: str, shown: str) -> None:
    from publisher.model.profile import parse_yaml, profile_errors

    errors = profile_errors(parse_yaml(text), profile)
    if errors:
        first = errors[0]
        raise ConfigurationError(first.message, path=shown, hint=first.fix)


@main.command()
@click.argument("slug")
@click.option("--name", prompt="Nom de la commune (ex. : Le Haillan)", help="Nom usuel.")
@click.option("--insee", prompt="Code INSEE (5 caractères, ex. : 33200)", help="Code INSEE.")
@click.option(
    "--population", type=int, prompt="Population totale (INSEE)", help="Population totale."
)
@click.option(
    "--millesime",
    type=int,
    default=date.today().year - 3,
    show_default=True,
    help="Millésime de la population légale.",
)
@click.option("--fte", type=float, prompt="Effectif en équivalents temps plein", help="ETP.")
@click.option(
    "--contact-email",
    prompt="Adresse e-mail fonctionnelle (ex. : opendata@mairie.fr)",
    help="Contact open data (boîte fonctionnelle, pas une personne).",
)
@repo_option("Dépôt de données de la fédération.")
@friendly_errors
def init(
    slug: str,
    name: str,
    insee: str,
    population: int,
    millesime: int,
    fte: float,
    contact_email: str,
    repo: Path,
) -> None:
    """Accueillir une commune : créer communes/SLUG/commune.yaml et l'ajouter à la fédération."""
    from publisher.model import find_root, load_federation
    from publisher.model.loader import COMMUNE_FILE, FEDERATION_FILE
    from publisher.reports import write_atomically

    _check_slug(_("identifiant de commune"), slug)
    root = find_root(repo)
    federation_file = root / FEDERATION_FILE
    folder = root / "communes" / slug
    if (folder / COMMUNE_FILE).exists():
        raise ConfigurationError(
            _("la commune existe déjà"),
            path=f"communes/{slug}/{COMMUNE_FILE}",
            hint=_("Modifiez ce fichier plutôt que de le recréer."),
        )
    insee = insee.strip().upper()
    domain = contact_email.rpartition("@")[2]
    text = (
        f"name: {name}\n"
        f"official_name: {official_name(name)}\n"
        f'insee: "{insee}"\n'
        f'siren: "{commune_siren(insee) if re.fullmatch(r"[0-9]{5}", insee) else ""}"\n'
        "population:\n"
        f"  total: {population}\n"
        f"  millesime: {millesime}\n"
        f"  source: INSEE, populations légales {millesime}\n"
        "staff_fte:\n"
        f"  value: {fte:g}\n"
        f"  date: {date.today().isoformat()}\n"
        "contact:\n"
        "  name: Mission open data\n"
        f"  email: {contact_email}\n"
        "email_domains:\n"
        f"  - {domain}\n"
    )
    shown = f"communes/{slug}/{COMMUNE_FILE}"
    _check_profile(text, "commune-1.0.json", shown)
    federation_text = federation_file.read_text("utf-8")
    if re.search(rf"^\s*-\s*{re.escape(slug)}\s*$", federation_text, re.MULTILINE):
        raise ConfigurationError(
            _("la commune est déjà listée dans federation.yaml sans dossier"),
            path=FEDERATION_FILE,
            hint=_("Retirez la ligne « - {slug} » de federation.yaml ou créez son dossier.").format(
                slug=slug
            ),
        )
    (folder / "datasets").mkdir(parents=True, exist_ok=True)
    write_atomically(folder / COMMUNE_FILE, text)
    write_atomically(federation_file, federation_text.rstrip("\n") + f"\n  - {slug}\n")
    load_federation(root, [slug])  # the new commune loads like the others
    click.echo(_("Commune créée : {path}").format(path=shown))
    click.echo(_("Vérifiez le SIREN, la population et l'effectif, puis ajoutez un premier jeu :"))
    click.echo(f"  publisher new-dataset NOM --commune {slug} --schema subventions")


@main.command("new-dataset")
@click.argument("name")
@click.option("--commune", "slug", required=True, metavar="SLUG", help="Commune du jeu.")
@click.option(
    "--schema",
    "schema_ref",
    required=True,
    metavar="NOM[@VERSION]",
    help="Schéma partagé que suivra le fichier (voir publisher schemas list).",
)
@click.option("--title", help="Titre du jeu (par défaut : celui du schéma).")
@repo_option("Dépôt de données de la fédération.")
@friendly_errors
def new_dataset(name: str, slug: str, schema_ref: str, title: str | None, repo: Path) -> None:
    """Créer un jeu de données à partir d'un schéma partagé : descripteur et fichier CSV vide."""
    from publisher.model import find_root, load_federation
    from publisher.model.loader import DESCRIPTOR_FILE
    from publisher.model.profile import DATASET_PROFILE
    from publisher.reports import write_atomically

    _check_slug(_("nom de jeu"), name)
    root = find_root(repo)
    federation = load_federation(root, [slug])
    commune = federation.commune(slug)
    schema = federation.registry.resolve(schema_ref)
    folder = commune.folder / "datasets" / name
    shown = f"communes/{slug}/datasets/{name}/{DESCRIPTOR_FILE}"
    if folder.exists():
        raise ConfigurationError(
            _("le jeu de données existe déjà"),
            path=f"communes/{slug}/datasets/{name}",
            hint=_("Choisissez un autre nom ou modifiez le jeu existant."),
        )
    fields = [str(f["name"]) for f in schema.descriptor.get("fields", []) if "name" in f]
    keywords = schema.descriptor.get("keywords") or [schema.short_name]
    today = date.today().isoformat()
    text = (
        f"$schema: {DATASET_PROFILE}\n"
        f"name: {name}\n"
        f"title: {_yaml(title or schema.title)}\n"
        "description: >-\n"
        f"  À compléter : ce que contient le jeu {_yaml(schema.title)}, d'où viennent les données\n"
        f"  et ce qu'elles couvrent, pour la commune de {commune.name}.\n"
        "licenses:\n"
        "  - name: etalab-2.0\n"
        '    title: "Licence Ouverte v2.0 (Etalab)"\n'
        "    path: https://www.etalab.gouv.fr/licence-ouverte-open-licence\n"
        f"keywords: [{', '.join(_yaml(str(k)) for k in keywords)}]\n"
        "themes: [À compléter]\n"
        "frequency: annual\n"
        f'modified: "{today}"\n'
        f'issued: "{today}"\n'
        f'spatial: {{insee: ["{commune.insee}"]}}\n'
        "personal_data:\n"
        "  status: absentes\n"
        "contributors:\n"
        f"  - title: {_yaml(commune.contact_name)}\n"
        f"    email: {commune.contact_email}\n"
        "    roles: [contact]\n"
        "resources:\n"
        f"  - name: {name}\n"
        f"    path: {name}.csv\n"
        "    type: table\n"
        "    format: csv\n"
        "    mediatype: text/csv\n"
        "    encoding: utf-8\n"
        '    dialect: {delimiter: ";"}\n'
        f"    schema: {schema.ref}\n"
    )
    _check_profile(text, "dataset-1.0.json", shown)
    folder.mkdir(parents=True)
    write_atomically(folder / f"{name}.csv", ";".join(fields) + "\n")
    write_atomically(folder / DESCRIPTOR_FILE, text)
    click.echo(
        _("Jeu créé : {path} et {name}.csv ({count} colonnes du schéma {schema}).").format(
            path=shown, name=name, count=len(fields), schema=schema.ref
        )
    )
    click.echo(
        _(
            "Complétez la description, les thèmes et la fréquence, remplissez le fichier, "
            "puis lancez : publisher validate --commune {slug}"
        ).format(slug=slug)
    )


def _yaml(text: str) -> str:
    """A YAML scalar in double quotes: safe whatever the text holds."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
