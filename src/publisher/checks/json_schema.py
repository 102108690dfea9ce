"""JSON Schema family: JSON data files (the DECP of public procurement) against their schema.

Each departure from the schema is one finding located by its path in the document
(`marches[3].montant`), with the same French wording as descriptor errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.codes import make
from publisher.findings import Finding
from publisher.json_errors import explain, key_name, leaves


@register
class JsonSchemaFamily(BaseFamily):
    name = "json-schema"
    codes = ("SCHEMA-JSON",)

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        schema, document = context.schema, context.read.json_document
        if schema is None or schema.kind != "json-schema" or document is None:
            return
        import jsonschema  # DECP files only: not on the start-up path of other files

        validator_class = jsonschema.validators.validator_for(schema.descriptor)
        validator = validator_class(
            schema.descriptor, format_checker=validator_class.FORMAT_CHECKER
        )
        for error in validator.iter_errors(document):
            for leaf in leaves(error):
                path, message, fix = explain(leaf)
                pointer = key_name(path)
                yield make(
                    "SCHEMA-JSON",
                    replace(context.where, key=pointer),
                    pointer=pointer,
                    detail=message,
                    fix=fix,
                )
