"""The OpenAPI description of hubsim's /v2 API (endpoints, hardware, metrics, logs), served at
GET /v2/openapi.json. It describes hubsim, for fuzzing and for readers; the service's own description is not
public (its Swagger page is), so hubsim's tests check hubsim against the client's code and recorded payloads
instead of against this document."""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from hubsim.endpoints.images import CREDENTIAL_FIELDS, URL_FREE_VARIANTS, VARIANT_FIELDS
from hubsim.endpoints.record import STATES
from hubsim.endpoints.validation import ENDPOINT_TYPES, SCALING_METRICS
from hubsim.observability.logs import KINDS, LEVELS


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
INTEGER = {"type": "integer"}
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
STRINGS = {"type": "array", "items": STRING}


def variant_schema(variant: str) -> dict[str, Any]:
    properties = {name: kind.schema for name, kind in VARIANT_FIELDS[variant].items()}
    if "credentials" in properties:
        properties["credentials"] = obj({name: kind.schema for name, kind in CREDENTIAL_FIELDS.items()})
    return obj(properties, () if variant in URL_FREE_VARIANTS else ("url",))


MODEL_FIELDS = {
    "repository": STRING,
    "framework": STRING,
    "revision": NULLABLE_STRING,
    "task": STRING,
    "image": ref("Image"),
    "env": STRING_MAP,
    "secrets": STRING_MAP,
    "command": STRINGS,
    "args": STRINGS,
    "fromCatalog": {"type": "boolean"},
}

SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": STRING}, ("error",)),
    "Actor": obj({"id": STRING, "name": STRING}, ("id", "name")),
    "Provider": obj({"vendor": STRING, "region": STRING}, ("vendor", "region")),
    "Scaling": obj(
        {
            "minReplica": {"type": "integer", "minimum": 0},
            "maxReplica": {"type": "integer", "minimum": 1},
            "scaleToZeroTimeout": {"type": "integer", "minimum": 1, "nullable": True},
            "metric": {"type": "string", "enum": list(SCALING_METRICS)},
            "measure": {
                "type": "object",
                "properties": {metric: {"type": "number", "nullable": True} for metric in SCALING_METRICS},
                "maxProperties": 1,
                "additionalProperties": False,
            },
        }
    ),
    "Compute": obj(
        {
            "accelerator": STRING,
            "id": STRING,
            "instanceType": STRING,
            "instanceSize": STRING,
            "scaling": ref("Scaling"),
        },
        ("accelerator", "instanceType", "instanceSize"),
    ),
    "ComputeUpdate": obj(
        {"accelerator": STRING, "instanceType": STRING, "instanceSize": STRING, "scaling": ref("Scaling")}
    ),
    "Image": {
        "type": "object",
        "description": "One variant; a field the variant does not declare is dropped",
        "properties": {variant: variant_schema(variant) for variant in VARIANT_FIELDS},
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
    },
    "Model": obj(MODEL_FIELDS, ("repository", "framework", "image")),
    "ModelUpdate": obj(MODEL_FIELDS),
    "PrivateService": obj(
        {"accountId": STRING, "region": STRING, "shared": {"type": "boolean"}}, ("accountId",)
    ),
    "Route": obj({"domain": STRING, "path": STRING}),
    "CreateEndpoint": obj(
        {
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{2,30}[a-z0-9]$"},
            "type": {"type": "string", "enum": list(ENDPOINT_TYPES)},
            "provider": ref("Provider"),
            "compute": ref("Compute"),
            "model": ref("Model"),
            "route": ref("Route"),
            "privateService": ref("PrivateService"),
            "tags": {"type": "array", "items": STRING},
            "cacheHttpResponses": {"type": "boolean"},
        },
        ("name", "type", "provider", "compute", "model"),
    ),
    "UpdateEndpoint": obj(
        {
            "type": {"type": "string", "enum": list(ENDPOINT_TYPES)},
            "compute": ref("ComputeUpdate"),
            "model": ref("ModelUpdate"),
            "route": ref("Route"),
            "tags": {"type": "array", "items": STRING},
            "cacheHttpResponses": {"type": "boolean"},
        }
    ),
    "Status": obj(
        {
            "createdAt": {"type": "string", "format": "date-time"},
            "createdBy": ref("Actor"),
            "updatedAt": {"type": "string", "format": "date-time"},
            "updatedBy": ref("Actor"),
            "private": {**obj({"serviceName": STRING}), "nullable": True},
            "state": {"type": "string", "enum": list(STATES)},
            "message": STRING,
            "url": NULLABLE_STRING,
            "readyReplica": INTEGER,
            "targetReplica": INTEGER,
        },
        (
            "createdAt",
            "createdBy",
            "updatedAt",
            "updatedBy",
            "state",
            "message",
            "readyReplica",
            "targetReplica",
        ),
    ),
    "Endpoint": obj(
        {
            "name": STRING,
            "type": {"type": "string", "enum": list(ENDPOINT_TYPES)},
            "accountId": NULLABLE_STRING,
            "provider": ref("Provider"),
            "compute": ref("Compute"),
            "model": {"allOf": [ref("Model"), {"required": ["revision", "task"]}]},
            "healthRoute": STRING,
            "route": ref("Route"),
            "privateService": ref("PrivateService"),
            "tags": {"type": "array", "items": STRING},
            "status": ref("Status"),
        },
        ("name", "type", "provider", "compute", "model", "healthRoute", "status"),
    ),
    "EndpointList": obj({"items": {"type": "array", "items": ref("Endpoint")}}, ("items",)),
    "HardwareCompute": obj(
        {
            "id": STRING,
            "accelerator": STRING,
            "instanceType": STRING,
            "instanceSize": STRING,
            "architecture": STRING,
            "numAccelerators": INTEGER,
            "numCpus": INTEGER,
            "memoryGb": {"type": "number"},
            "gpuMemoryGb": {"type": "integer", "nullable": True},
            "pricePerHour": {"type": "number"},
            "status": STRING,
            "quota": obj(
                {"maxAccelerators": INTEGER, "usedAccelerators": INTEGER},
                ("maxAccelerators", "usedAccelerators"),
            ),
        },
        (
            "id",
            "accelerator",
            "instanceType",
            "instanceSize",
            "numAccelerators",
            "pricePerHour",
            "status",
            "quota",
        ),
    ),
    "HardwareList": obj(
        {
            "vendors": {
                "type": "array",
                "items": obj(
                    {
                        "name": STRING,
                        "status": STRING,
                        "regions": {
                            "type": "array",
                            "items": obj(
                                {
                                    "name": STRING,
                                    "label": STRING,
                                    "status": STRING,
                                    "computes": {"type": "array", "items": ref("HardwareCompute")},
                                },
                                ("name", "computes"),
                            ),
                        },
                    },
                    ("name", "regions"),
                ),
            }
        },
        ("vendors",),
    ),
    "LogPage": obj(
        {
            "items": {
                "type": "array",
                "items": obj(
                    {
                        "timestamp": {"type": "string", "format": "date-time"},
                        "replica": STRING,
                        "kind": {"type": "string", "enum": list(KINDS)},
                        "level": {"type": "string", "enum": list(LEVELS)},
                        "message": STRING,
                    },
                    ("timestamp", "replica", "kind", "level", "message"),
                ),
            },
            "nextCursor": NULLABLE_STRING,
        },
        ("items", "nextCursor"),
    ),
}

ERROR_MEANINGS = {
    "400": "The body cannot be read as the expected type, or the request breaks a rule (name, hardware,"
    " replicas, quota, repository, state)",
    "401": "Missing or unknown token",
    "403": "The token does not reach this namespace, or is read-only",
    "404": "No such endpoint",
    "409": "An endpoint of that name exists already",
}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def operation(
    summary: str,
    ok: dict[str, Any],
    errors: tuple[str, ...],
    body: str | None = None,
    *,
    media_type: str = "application/json",
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    responses = {"200": {"description": "OK", "content": {media_type: {"schema": ok}}}}
    for code in errors:
        responses[code] = {"description": ERROR_MEANINGS[code], **json_content(ref("Error"))}
    spec: dict[str, Any] = {"summary": summary, "responses": responses}
    if body:
        spec["requestBody"] = {"required": True, **json_content(ref(body))}
    if parameters:
        spec["parameters"] = parameters
    return spec


NAMESPACE = {"name": "namespace", "in": "path", "required": True, "schema": STRING}
NAME = {"name": "name", "in": "path", "required": True, "schema": STRING}
ACTION_ERRORS = ("400", "401", "403", "404")


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LOG_PARAMETERS = [
    query("replica", STRING, "Only this replica's lines (<deployment id>-<replica id>)"),
    query("kind", {"type": "string", "enum": list(KINDS)}, "Only build or runtime lines"),
    query("level", {"type": "string", "enum": list(LEVELS)}, "The least severe level shown"),
    query("since", {"type": "string", "format": "date-time"}, "Lines written at or after this time"),
    query("until", {"type": "string", "format": "date-time"}, "Lines written at or before this time"),
    query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "Lines per page (default 50)"),
    query("cursor", STRING, "The nextCursor of the previous page: older lines"),
]


def _openapi() -> dict[str, Any]:
    endpoint = ref("Endpoint")
    return {
        "openapi": "3.0.3",
        "info": {"title": "hubsim Inference Endpoints API", "version": "2"},
        "servers": [{"url": "/v2"}],
        "security": [{"bearer": []}],
        "paths": {
            "/endpoint/{namespace}": {
                "parameters": [NAMESPACE],
                "get": operation("List endpoints", ref("EndpointList"), ("401", "403")),
                "post": operation(
                    "Create an endpoint", endpoint, ("400", "401", "403", "409"), body="CreateEndpoint"
                ),
            },
            "/endpoint/{namespace}/{name}": {
                "parameters": [NAMESPACE, NAME],
                "get": operation("Get an endpoint", endpoint, ("401", "403", "404")),
                "put": operation("Update an endpoint", endpoint, ACTION_ERRORS, body="UpdateEndpoint"),
                "delete": operation("Delete an endpoint", {"type": "object"}, ("401", "403", "404")),
            },
            "/endpoint/{namespace}/{name}/pause": {
                "parameters": [NAMESPACE, NAME],
                "post": operation("Pause an endpoint", endpoint, ("401", "403", "404")),
            },
            "/endpoint/{namespace}/{name}/resume": {
                "parameters": [NAMESPACE, NAME],
                "post": operation("Resume an endpoint", endpoint, ACTION_ERRORS),
            },
            "/endpoint/{namespace}/{name}/scale-to-zero": {
                "parameters": [NAMESPACE, NAME],
                "post": operation("Scale an endpoint to zero", endpoint, ACTION_ERRORS),
            },
            "/endpoint/{namespace}/{name}/open-metrics": {
                "parameters": [NAMESPACE, NAME],
                "get": operation(
                    "The endpoint's metrics, as the analytics guide's OpenMetrics sample writes them",
                    STRING,
                    ("401", "403", "404"),
                    media_type="text/plain",
                ),
            },
            "/endpoint/{namespace}/{name}/logs": {
                "parameters": [NAMESPACE, NAME],
                "get": operation(
                    "The endpoint's build and runtime logs, latest first by page (assumed route)",
                    ref("LogPage"),
                    ACTION_ERRORS,
                    parameters=LOG_PARAMETERS,
                ),
            },
            "/provider/{namespace}": {
                "parameters": [NAMESPACE],
                "get": operation("List hardware with prices and quotas", ref("HardwareList"), ("401", "403")),
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


OPENAPI = _openapi()


async def serve_openapi(request: Request) -> JSONResponse:
    return JSONResponse(OPENAPI)
