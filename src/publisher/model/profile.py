"""Check YAML documents against the JSON Schema profiles shipped in the package, in French.

jsonschema's English messages are never shown: each error is reworded from its keyword, with
the YAML line of the offending key so that CI annotations land on the right line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from publisher.json_errors import explain, key_name, leaves

if TYPE_CHECKING:
    import jsonschema

DATASET_PROFILE = "https://opendata.bordeaux-metropole.fr/publisher/profiles/dataset-1.0.json"
PROFILE_URLS = {DATASET_PROFILE: "dataset-1.0.json"}


@dataclass(frozen=True)
class ProfileError:
    """One place where a document does not follow its profile."""

    key: str
    message: str
    fix: str
    line: int | None


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML mapping with the line of every key path (1-based)."""

    data: Any
    lines: dict[tuple[str | int, ...], int]

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class YamlSyntaxError(ValueError):
    """Invalid YAML, with a French description of where."""

    def __init__(self, detail: str, line: int | None):
        super().__init__(detail)
        self.detail = detail
        self.line = line


class _TextDatesLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as the text the officer wrote (AAAA-MM-JJ)."""


class _FastTextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same, on libyaml's parser when PyYAML has it (ten times faster)."""


_TextDatesLoader.yaml_implicit_resolvers = _FastTextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose_and_load(text: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    """One parse: the node tree (for key lines) and the data built from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def parse_yaml(text: str) -> YamlDocument:
    """Parse YAML safely, keeping the line of each key for error messages.

    libyaml parses; on a syntax error the pure Python parser parses again, because its
    messages are the ones worded in French here."""
    try:
        node, data = _compose_and_load(text, _FastTextDatesLoader)
    except yaml.YAMLError:
        node, data = None, None
    else:
        return _document(node, data)
    try:
        node, data = _compose_and_load(text, _TextDatesLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        where = f"ligne {line}, colonne {mark.column + 1}" if mark else "position inconnue"
        problem = error.problem or "syntaxe invalide"
        return _raise(f"{_french_yaml_problem(problem)} ({where})", line)
    except yaml.YAMLError as error:
        return _raise(f"syntaxe invalide ({error.__class__.__name__})", None)
    return _document(node, data)


def _document(node: yaml.Node | None, data: Any) -> YamlDocument:
    lines: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return YamlDocument(data=data, lines=lines)


def _raise(detail: str, line: int | None) -> YamlDocument:
    raise YamlSyntaxError(detail, line)


def _french_yaml_problem(problem: str) -> str:
    known = {
        "mapping values are not allowed here": "deux-points inattendu (une valeur contient « : » "
        "sans guillemets ?)",
        "could not find expected ':'": "deux-points attendu après une clé",
        "found character '\\t' that cannot start any token": "tabulation interdite en YAML "
        "(indentez avec des espaces)",
        "found undefined alias": "alias YAML inconnu",
        "expected <block end>, but found '-'": "indentation incohérente d'une liste",
        "expected <block end>": "indentation incohérente, ou texte après un guillemet fermant",
        "found unexpected end of stream": "guillemet ou crochet non refermé",
        "expected ',' or ']'": "crochet [ non refermé ou virgule manquante dans une liste",
        "expected ',' or '}'": "accolade { non refermée ou virgule manquante",
        "found unknown escape character": "caractère d'échappement inconnu (une barre \\ "
        "entre guillemets doubles)",
    }
    for english, french in known.items():
        if problem.startswith(english):
            return french
    return "syntaxe YAML invalide"


def _index_lines(node: yaml.Node, path: tuple[str | int, ...], lines: dict) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines)


@cache
def load_profile(filename: str) -> dict[str, Any]:
    """A JSON Schema profile shipped in the package (never fetched from the network)."""
    text = resources.files("publisher.model").joinpath("profiles", filename).read_text("utf-8")
    return json.loads(text)


def profile_errors(document: YamlDocument, filename: str) -> list[ProfileError]:
    """Every place where the document departs from the profile, in document order."""
    schema = load_profile(filename)
    import jsonschema  # imported when a descriptor is checked, not to read the registry

    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = []
    for error in validator.iter_errors(document.data):
        for leaf in leaves(error):
            errors.append(_to_profile_error(leaf, document))
    errors.sort(key=lambda e: (e.line or 0, e.key))
    return errors


def _to_profile_error(error: jsonschema.ValidationError, document: YamlDocument) -> ProfileError:
    path, message, fix = explain(error)
    return ProfileError(key_name(path), message, fix, document.line_of(path))
