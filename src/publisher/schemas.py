"""The registry of shared schemas vendored in `schemas/`, addressed as `name@version`.

Nothing is fetched at run time: a schema is the file committed in the data repository, and its
sha256 must match the one recorded with its provenance in `schemas/registry.yaml`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from publisher.errors import SchemaRegistryError

REGISTRY_FILE = "registry.yaml"


@dataclass(frozen=True)
class SchemaExample:
    """An official example file published with a schema, vendored next to it."""

    file: str
    valid: bool
    upstream: str
    sha256: str
    path: Path


@dataclass(frozen=True)
class SharedSchema:
    """One vendored schema and where it comes from."""

    name: str
    version: str
    title: str
    kind: str
    source: str
    upstream: str
    licence: str
    sha256: str
    path: Path
    examples: tuple[SchemaExample, ...] = ()

    @property
    def is_tabular(self) -> bool:
        return self.kind == "table-schema"

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def short_name(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @cached_property
    def descriptor(self) -> dict[str, Any]:
        """The schema's JSON, checked against its recorded sha256."""
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise SchemaRegistryError(
                f"copie du schéma {self.ref} illisible ({error.strerror})",
                path=self.path,
                hint="Restaurez le fichier depuis le dépôt git (git checkout -- schemas/).",
            ) from None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != self.sha256:
            raise SchemaRegistryError(
                f"la copie du schéma {self.ref} a été modifiée (sha256 {digest[:12]}… au lieu de "
                f"{self.sha256[:12]}…)",
                path=self.path,
                hint="Les schémas partagés ne se modifient pas localement : restaurez le fichier "
                "officiel, ou vendorisez la nouvelle version avec sa provenance.",
            )
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SchemaRegistryError(
                f"le schéma {self.ref} n'est pas du JSON valide ({error})", path=self.path
            ) from None


class SchemaRegistry:
    """Resolves `name@version` (or a unique short name, or a name alone for its latest version)."""

    def __init__(self, schemas: list[SharedSchema]):
        self._schemas = sorted(schemas, key=lambda s: (s.name.lower(), _version_key(s.version)))

    @classmethod
    def load(cls, folder: Path) -> SchemaRegistry:
        registry_path = folder / REGISTRY_FILE
        try:
            raw = yaml.load(  # libyaml when present: the registry is read at every start
                registry_path.read_text("utf-8"),
                Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
            )
        except OSError:
            raise SchemaRegistryError(
                "registre des schémas introuvable",
                path=registry_path,
                hint="Le dossier des schémas (clé schemas de federation.yaml) doit contenir "
                "registry.yaml.",
            ) from None
        except UnicodeDecodeError:
            raise SchemaRegistryError(
                "registre des schémas illisible : le fichier n'est pas en UTF-8",
                path=registry_path,
                hint="Restaurez le fichier depuis le dépôt git (git checkout -- schemas/).",
            ) from None
        except yaml.YAMLError as error:
            raise SchemaRegistryError(
                f"registre des schémas illisible ({error.__class__.__name__})", path=registry_path
            ) from None
        entries = raw.get("schemas") if isinstance(raw, dict) else None
        if not isinstance(entries, list):
            raise SchemaRegistryError("la clé « schemas » (liste) manque", path=registry_path)
        schemas = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise SchemaRegistryError(
                    f"entrée n° {index + 1} invalide : clés name, version, title, source et "
                    "sha256 attendues",
                    path=registry_path,
                )
            try:
                name, version = str(entry["name"]), str(entry["version"])
                schemas.append(
                    SharedSchema(
                        name=name,
                        version=version,
                        title=str(entry["title"]),
                        kind=str(entry.get("kind", "table-schema")),
                        source=str(entry["source"]),
                        upstream=str(entry.get("upstream", "")),
                        licence=str(entry.get("licence", "")),
                        sha256=str(entry["sha256"]),
                        path=folder / name / version / "schema.json",
                        examples=tuple(
                            SchemaExample(
                                file=str(example["file"]),
                                valid=bool(example["valid"]),
                                upstream=str(example.get("upstream", "")),
                                sha256=str(example["sha256"]),
                                path=folder / name / version / "examples" / str(example["file"]),
                            )
                            for example in entry.get("examples") or ()
                        ),
                    )
                )
            except KeyError as error:
                raise SchemaRegistryError(
                    f"entrée n° {index + 1} incomplète (clé {error} manquante)",
                    path=registry_path,
                ) from None
            except TypeError:
                raise SchemaRegistryError(
                    f"entrée n° {index + 1} : examples doit être une liste d'exemples "
                    "(clés file, valid, sha256)",
                    path=registry_path,
                ) from None
        return cls(schemas)

    def __iter__(self):
        return iter(self._schemas)

    def refs(self) -> list[str]:
        return [schema.ref for schema in self._schemas]

    def find(self, ref: str) -> SharedSchema | None:
        """The schema a reference names, or None; `subventions` alone means its latest version."""
        name, _, version = ref.strip().partition("@")
        matches = [
            s for s in self._schemas if name.lower() in (s.name.lower(), s.short_name.lower())
        ]
        if version:
            matches = [s for s in matches if s.version == version]
        if not matches or len({s.name for s in matches}) > 1:
            return None
        return matches[-1]

    def resolve(self, ref: str) -> SharedSchema:
        schema = self.find(ref)
        if schema is None:
            raise SchemaRegistryError(
                f"schéma « {ref} » inconnu",
                hint="Schémas disponibles : " + ", ".join(self.refs()) + ".",
            )
        return schema


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))
