"""Load the data repository into the model, checking every descriptor against its profile.

Federation and commune files are configuration: a problem there stops the run (exit 2).
Dataset descriptors are data: a problem there becomes a finding on that dataset, so that one
commune's broken file never hides the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from publisher.codes import make
from publisher.errors import ConfigurationError
from publisher.findings import Finding, Location
from publisher.model.entities import (
    Attestation,
    Commune,
    Dataset,
    Federation,
    Portal,
    Resource,
)
from publisher.model.profile import (
    DATASET_PROFILE,
    PROFILE_URLS,
    YamlDocument,
    YamlSyntaxError,
    parse_yaml,
    profile_errors,
)
from publisher.schemas import SchemaRegistry

FEDERATION_FILE = "federation.yaml"
COMMUNE_FILE = "commune.yaml"
ATTESTATIONS_FILE = "attestations.yaml"
DESCRIPTOR_FILE = "datapackage.yaml"


def find_root(start: Path) -> Path:
    """The data repository root: the nearest folder, from `start` up, holding federation.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / FEDERATION_FILE).is_file():
            return folder
    raise ConfigurationError(
        "aucun federation.yaml trouvé dans ce dossier ni au-dessus",
        path=start,
        hint="Lancez la commande depuis le dépôt de données de la fédération, ou donnez son "
        "chemin (publisher validate CHEMIN).",
    )


def load_federation(root: Path, communes: Sequence[str] = ()) -> Federation:
    """Read federation.yaml, then each member commune (or only those named)."""
    root = root.resolve()
    document = _read_config(root / FEDERATION_FILE, "federation-1.0.json", root)
    data = document.data
    members: list[str] = list(data["communes"])
    unknown = [slug for slug in communes if slug not in members]
    if unknown:
        raise ConfigurationError(
            f"commune inconnue : {', '.join(unknown)}",
            path=FEDERATION_FILE,
            hint="Communes de la fédération : " + ", ".join(members) + ".",
        )
    schemas_dir = (root / data["schemas"]).resolve()
    registry = SchemaRegistry.load(schemas_dir)
    portal = data["portal"]
    defaults = portal.get("defaults") or {}
    selected = [slug for slug in members if not communes or slug in communes]
    return Federation(
        root=root,
        name=data["name"],
        siren=data["siren"],
        portal=Portal(
            name=portal["name"],
            url=portal["url"].rstrip("/"),
            language=portal["language"],
            timezone=portal.get("timezone", "Europe/Paris"),
            attributions=tuple(defaults.get("attributions") or ()),
            licence_ids=dict(portal.get("licences") or {}),
            theme_ids=dict(portal.get("themes") or {}),
        ),
        schemas_dir=schemas_dir,
        registry=registry,
        communes=tuple(_load_commune(root, slug, registry) for slug in selected),
    )


def load_schema_registry(root: Path) -> SchemaRegistry:
    """The shared schema registry alone: reads the `schemas` key of federation.yaml, none of
    the communes (`publisher check` of one file starts without the profile check of the whole
    file; a file whose `schemas` key is unusable gets the full read, which says why)."""
    root = root.resolve()
    path = root / FEDERATION_FILE
    try:
        folder = parse_yaml(path.read_text("utf-8")).data.get("schemas")
    except (OSError, UnicodeDecodeError, YamlSyntaxError, AttributeError):
        folder = None
    if not isinstance(folder, str) or not folder:
        folder = _read_config(path, "federation-1.0.json", root).data["schemas"]
    return SchemaRegistry.load((root / folder).resolve())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_config(
    path: Path, profile: str, root: Path, empty_hint: str | None = None
) -> YamlDocument:
    """A configuration file checked against its profile; `empty_hint` says what to do with a
    file holding no keys at all (empty, or comments only)."""
    shown = _relative(path, root)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            "fichier introuvable",
            path=shown,
            hint="Créez-le (voir le README, « Accueillir une commune »).",
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(
            f"fichier illisible ({error.__class__.__name__})",
            path=shown,
            hint="Enregistrez-le en UTF-8.",
        ) from None
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as error:
        raise ConfigurationError(
            f"YAML invalide : {error.detail}", path=shown, hint="Corrigez la syntaxe."
        ) from None
    if not isinstance(document.data, dict):
        raise ConfigurationError(
            "le fichier doit contenir des clés (un mapping YAML)",
            path=shown,
            hint=empty_hint if document.data is None else None,
        )
    errors = profile_errors(document, profile)
    if errors:
        first = errors[0]
        more = f" (et {len(errors) - 1} autre(s) problème(s))" if len(errors) > 1 else ""
        line = f", ligne {first.line}" if first.line else ""
        raise ConfigurationError(f"{first.message}{line}{more}", path=shown, hint=first.fix)
    return document


def _load_commune(root: Path, slug: str, registry: SchemaRegistry) -> Commune:
    folder = root / "communes" / slug
    data = _read_config(folder / COMMUNE_FILE, "commune-1.0.json", root).data
    expected_prefix = f"21{data['insee'][:2]}0{data['insee'][2:]}"
    from stdnum.fr import siren, siret

    if not data["siren"].startswith(expected_prefix) or not siren.is_valid(data["siren"]):
        raise ConfigurationError(
            f"le SIREN {data['siren']} ne correspond pas au code INSEE {data['insee']} ou sa clé "
            "de contrôle est fausse",
            path=_relative(folder / COMMUNE_FILE, root),
            hint=f"Le SIREN d'une commune s'écrit {expected_prefix} + une clé de contrôle ; "
            "recopiez-le depuis l'annuaire des entreprises.",
        )
    town_hall = data.get("siret")
    if town_hall is not None and (
        not town_hall.startswith(data["siren"]) or not siret.is_valid(town_hall)
    ):
        raise ConfigurationError(
            f"le SIRET {town_hall} ne commence pas par le SIREN {data['siren']} ou sa clé de "
            "contrôle est fausse",
            path=_relative(folder / COMMUNE_FILE, root),
            hint="Recopiez le SIRET de la mairie (siège) depuis l'annuaire des entreprises.",
        )
    attestations, attestations_path = _load_attestations(folder / ATTESTATIONS_FILE, root)
    datasets_dir = folder / "datasets"
    folders = (
        sorted(p for p in datasets_dir.iterdir() if p.is_dir()) if datasets_dir.is_dir() else []
    )
    return Commune(
        slug=slug,
        name=data["name"],
        official_name=data["official_name"],
        insee=data["insee"],
        siren=data["siren"],
        population_total=data["population"]["total"],
        population_millesime=data["population"]["millesime"],
        staff_fte=float(data["staff_fte"]["value"]),
        contact_name=data["contact"]["name"],
        contact_email=data["contact"]["email"],
        email_domains=tuple(data.get("email_domains") or ()),
        folder=folder,
        datasets=tuple(load_dataset(root, slug, path, registry) for path in folders),
        siret=town_hall,
        roles=tuple(data.get("roles") or ()),
        population_source=data["population"].get("source"),
        staff_fte_date=data["staff_fte"]["date"],
        staff_fte_source=data["staff_fte"].get("source"),
        attestations=attestations,
        attestations_path=attestations_path,
    )


def _load_attestations(path: Path, root: Path) -> tuple[tuple[Attestation, ...], str | None]:
    """The commune's signed attestations (optional file): configuration, checked like
    commune.yaml, plus real calendar dates and an expiry after the signature."""
    if not path.is_file():
        return (), None
    shown = _relative(path, root)
    document = _read_config(
        path,
        "attestations-1.0.json",
        root,
        empty_hint="Le fichier est vide : supprimez-le s'il n'y a rien à attester, ou écrivez "
        "« attestations: » suivi d'une entrée par règle attestée (voir docs/audit.md).",
    )
    found = []
    for index, entry in enumerate(document.data["attestations"]):
        line = document.line_of(("attestations", index))
        for key in ("date", "expires"):
            try:
                date.fromisoformat(entry[key])
            except ValueError:
                raise ConfigurationError(
                    f"la date {entry[key]} (clé {key}, ligne {line}) n'existe pas",
                    path=shown,
                    hint="Indiquez une date réelle au format AAAA-MM-JJ.",
                ) from None
        if entry["expires"] < entry["date"]:
            raise ConfigurationError(
                f"l'attestation {entry['rule']} (ligne {line}) expire le {entry['expires']}, "
                f"avant sa signature le {entry['date']}",
                path=shown,
                hint="Corrigez la clé expires : la fin de validité suit la date de signature.",
            )
        found.append(
            Attestation(
                rule=entry["rule"],
                signatory=entry["signatory"],
                role=entry["role"],
                signed=entry["date"],
                evidence=entry["evidence"],
                expires=entry["expires"],
                statement=entry.get("statement"),
                line=line,
            )
        )
    return tuple(found), shown


def load_dataset(root: Path, commune: str, folder: Path, registry: SchemaRegistry) -> Dataset:
    """Read one dataset folder; every descriptor problem becomes a finding, never an exception."""
    descriptor_path = folder / DESCRIPTOR_FILE
    relpath = descriptor_path.relative_to(root).as_posix()
    here = Location(commune=commune, dataset=folder.name, path=relpath)
    empty = Dataset(commune, folder.name, folder, descriptor_path, relpath, {}, ())
    if not folder.resolve().is_relative_to(folder.parent.resolve()):
        outside = "est un lien vers un dossier hors du dépôt"
        return _with(empty, [make("DESC-PATH", here, resource_path=folder.name, reason=outside)])
    if not descriptor_path.is_file():
        return _with(empty, [make("DESC-MISSING", here)])
    try:
        document = parse_yaml(descriptor_path.read_text("utf-8"))
    except UnicodeDecodeError:
        return _with(empty, [make("DESC-ENCODING", here)])
    except OSError as error:
        return _with(
            empty, [make("DESC-YAML", here, detail=f"lecture impossible ({error.strerror})")]
        )
    except YamlSyntaxError as error:
        location = Location(commune=commune, dataset=folder.name, path=relpath, row=error.line)
        return _with(empty, [make("DESC-YAML", location, detail=error.detail)])
    if not isinstance(document.data, dict):
        return _with(
            empty,
            [
                make(
                    "DESC-PROFILE",
                    here,
                    detail="Le descripteur doit être une suite de clés « nom: valeur », pas une "
                    "liste ni un texte seul.",
                    fix="Partez du datapackage.yaml d'un jeu voisin et adaptez ses valeurs.",
                )
            ],
        )
    data: dict[str, Any] = document.data
    problems = _profile_findings(document, here)
    name = data.get("name")
    if isinstance(name, str) and name != folder.name:
        problems.append(
            make("DESC-NAME", _at(here, document, ("name",)), name=name, folder=folder.name)
        )
    resources = []
    for index, raw in enumerate(data.get("resources") or []):
        resource, found = _load_resource(root, folder, raw, index, document, here, registry)
        problems.extend(found)
        if resource is not None:
            resources.append(resource)
    return Dataset(
        commune,
        folder.name,
        folder,
        descriptor_path,
        relpath,
        data,
        tuple(resources),
        tuple(problems),
    )


def _with(dataset: Dataset, problems: list[Finding]) -> Dataset:
    return Dataset(
        dataset.commune,
        dataset.name,
        dataset.folder,
        dataset.descriptor_path,
        dataset.relpath,
        dataset.descriptor,
        dataset.resources,
        tuple(problems),
    )


def _at(here: Location, document: YamlDocument, path: tuple[str | int, ...]) -> Location:
    """The location of a descriptor key, with its YAML line in `row`."""
    key = ".".join(str(p) for p in path)
    return Location(
        commune=here.commune,
        dataset=here.dataset,
        path=here.path,
        row=document.line_of(path),
        key=key,
    )


def _profile_findings(document: YamlDocument, here: Location) -> list[Finding]:
    declared = document.data.get("$schema")
    if declared not in PROFILE_URLS:
        detail = (
            "le descripteur ne déclare pas de profil ($schema)"
            if declared is None
            else f"profil « {declared} » inconnu"
        )
        return [
            make(
                "DESC-PROFILE",
                _at(here, document, ("$schema",)),
                detail=detail,
                fix=f"Ajoutez en tête « $schema: {DATASET_PROFILE} ».",
            )
        ]
    return [
        make(
            "DESC-PROFILE",
            Location(
                commune=here.commune,
                dataset=here.dataset,
                path=here.path,
                row=error.line,
                key=error.key,
            ),
            detail=error.message[0].upper() + error.message[1:] + ".",
            fix=error.fix,
        )
        for error in profile_errors(document, PROFILE_URLS[declared])
    ]


def _load_resource(
    root: Path,
    folder: Path,
    raw: Any,
    index: int,
    document: YamlDocument,
    here: Location,
    registry: SchemaRegistry,
) -> tuple[Resource | None, list[Finding]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
        return None, []  # already reported by the profile
    declared = raw["path"]
    where = _at(here, document, ("resources", index, "path"))
    reason = _unsafe_path_reason(declared)
    target = (folder / declared).resolve()
    if reason is None and not target.is_relative_to(folder.resolve()):
        reason = "sort du dossier du jeu de données"
    if reason:
        return None, [make("DESC-PATH", where, resource_path=declared, reason=reason)]
    if not target.is_file():
        return None, [make("DESC-FILE-MISSING", where, resource_path=declared)]
    problems = []
    schema_ref = raw.get("schema")
    if isinstance(schema_ref, str) and registry.find(schema_ref) is None:
        problems.append(
            make(
                "DESC-SCHEMA-UNKNOWN",
                _at(here, document, ("resources", index, "schema")),
                schema=schema_ref,
                known=", ".join(registry.refs()),
            )
        )
        schema_ref = None
    dialect = raw.get("dialect") if isinstance(raw.get("dialect"), dict) else {}
    name = str(raw.get("name") or target.stem)
    return (
        Resource(
            name=name,
            path=target,
            relpath=_relative(target, root),
            format=str(raw.get("format") or target.suffix.lstrip(".").lower()),
            delimiter=dialect.get("delimiter"),
            schema=schema_ref if isinstance(schema_ref, str) else None,
            title=str(raw.get("title") or name),
            description=raw.get("description"),
            foreign_keys=tuple(raw.get("foreignKeys") or ()),
        ),
        problems,
    )


def _unsafe_path_reason(declared: str) -> str | None:
    if "://" in declared:
        return "est une adresse web ; seuls les fichiers du dépôt sont publiés"
    posix = PurePosixPath(declared.replace("\\", "/"))
    if posix.is_absolute() or (len(declared) > 1 and declared[1] == ":"):
        return "est un chemin absolu"
    if ".." in posix.parts:
        return "remonte hors du dossier du jeu de données (« .. »)"
    if any(part.startswith(".") for part in posix.parts):
        return "désigne un fichier ou dossier caché"
    return None
