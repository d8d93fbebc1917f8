"""Validating JSON against the schemas of an OpenAPI 3.0 document with jsonschema.

OpenAPI 3.0 marks optional nulls with ``nullable: true``, which JSON Schema does not know: each such schema
becomes ``anyOf: [schema, {"type": "null"}]`` before validation (draft 2020-12, which also reads TGI's numeric
``exclusiveMinimum``).
"""

from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:openapi"


def nullable_to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: nullable_to_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class OpenApiSchemas:
    def __init__(self, document: dict[str, Any]) -> None:
        resource = Resource.from_contents(
            nullable_to_json_schema(document), default_specification=DRAFT202012
        )
        self.registry = Registry().with_resource(DOCUMENT_URI, resource)

    def validator(self, component: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{DOCUMENT_URI}#/components/schemas/{component}"}, registry=self.registry
        )

    def errors(self, component: str, instance: Any) -> list[str]:
        """Every way ``instance`` breaks the component schema (empty when it conforms)."""
        return [
            f"{list(error.absolute_path)}: {error.message}"
            for error in self.validator(component).iter_errors(instance)
        ]
