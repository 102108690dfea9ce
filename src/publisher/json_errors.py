"""JSON Schema errors in French, for descriptors (YAML) and JSON data files (DECP) alike.

jsonschema words its errors in English for developers; officers need the key, what is wrong and
what to write instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jsonschema


def leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The most precise errors: `if/then` and `allOf` wrap the real cause in their context."""
    if error.context:
        return [leaf for sub in error.context for leaf in leaves(sub)]
    return [error]


def key_name(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(racine)"


_TYPE_WORDS = {
    "string": "un texte",
    "object": "un ensemble de clés",
    "array": "une liste",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
}


def explain(error: jsonschema.ValidationError) -> tuple[tuple[str | int, ...], str, str]:
    """Where the error is (path of keys and indexes), what is wrong and how to fix it."""
    path = tuple(error.absolute_path)
    keyword = error.validator
    described = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    if keyword == "required":
        missing = error.message.split("'")[1]
        path = (*path, missing)
        message = f"la clé obligatoire « {key_name(path)} » est absente"
        fix = f"Ajoutez la clé « {missing} »."
        sub = error.schema.get("properties", {}).get(missing, {})
        if sub.get("description"):
            fix += f" {sub['description']}"
        elif sub.get("enum"):
            fix += " Valeurs possibles : " + ", ".join(map(str, sub["enum"])) + "."
    elif keyword == "type":
        wanted = error.validator_value
        word = _TYPE_WORDS.get(wanted, str(wanted)) if isinstance(wanted, str) else str(wanted)
        message = f"« {key_name(path)} » doit être {word}"
        fix = "Corrigez la valeur (les textes qui ressemblent à des nombres ou des dates "
        fix += "s'écrivent entre guillemets)."
    elif keyword == "enum":
        message = f"la valeur « {error.instance} » de « {key_name(path)} » n'est pas admise"
        fix = "Valeurs possibles : " + ", ".join(map(str, error.validator_value)) + "."
    elif keyword == "const":
        message = f"« {key_name(path)} » doit valoir « {error.validator_value} »"
        fix = f"Écrivez « {path[-1] if path else 'valeur'}: {error.validator_value} »."
    elif keyword == "pattern":
        message = (
            f"la valeur « {error.instance} » de « {key_name(path)} » n'a pas le format attendu"
        )
        fix = described or f"Format attendu (expression régulière) : {error.validator_value}."
    elif keyword in ("minItems", "contains"):
        message = f"la liste « {key_name(path)} » est vide ou incomplète"
        fix = _CONTAINS_FIX.get(path[-1] if path else "", "Ajoutez au moins un élément.")
    elif keyword == "minLength":
        message = (
            f"« {key_name(path)} » est trop court (au moins {error.validator_value} caractères)"
        )
        fix = "Rédigez une valeur plus complète."
    elif keyword == "maxLength":
        message = (
            f"« {key_name(path)} » est trop long (au plus {error.validator_value} caractères)"
        )
        fix = "Raccourcissez la valeur."
    elif keyword == "additionalProperties":
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        unknown = sorted(k for k in error.instance if k not in allowed)
        path = (*path, unknown[0]) if unknown else path
        message = "clé inconnue : " + ", ".join(f"« {k} »" for k in unknown)
        known = ", ".join(sorted(allowed))
        fix = "Supprimez la clé ou corrigez sa faute de frappe" + (
            f" (clés possibles : {known})." if known else "."
        )
    elif keyword == "uniqueItems":
        message = f"la liste « {key_name(path)} » contient un doublon"
        fix = "Supprimez l'élément répété."
    elif keyword in ("minimum", "exclusiveMinimum"):
        message = f"« {key_name(path)} » doit valoir au moins {error.validator_value}"
        fix = "Corrigez la valeur."
    else:
        message = f"« {key_name(path)} » est invalide ({keyword})"
        fix = described or "Corrigez la valeur selon la documentation du schéma."
    return path, message, fix


_CONTAINS_FIX = {
    "contributors": "Ajoutez un contact fonctionnel : contributors: [{title: Service …, "
    "email: service@…, roles: [contact]}].",
    "licenses": "Ajoutez licenses: [{name: etalab-2.0}].",
    "resources": "Déclarez au moins un fichier dans resources.",
}
