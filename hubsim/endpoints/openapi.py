"""The OpenAPI description of hubsim's /v2 Endpoints API, served at GET /v2/openapi.json."""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from hubsim.endpoints.record import STATES
from hubsim.endpoints.validation import ENDPOINT_TYPES


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

SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": STRING}, ("error",)),
    "Actor": obj({"id": STRING, "name": STRING}, ("id", "name")),
    "Provider": obj({"vendor": STRING, "region": STRING}, ("vendor", "region")),
    "Scaling": obj(
        {
            "minReplica": {"type": "integer", "minimum": 0},
            "maxReplica": {"type": "integer", "minimum": 1},
            "scaleToZeroTimeout": {"type": "integer", "minimum": 1, "nullable": True},
            "measure": {"type": "object", "additionalProperties": {"type": "number"}, "nullable": True},
        }
    ),
    "Compute": obj(
        {"accelerator": STRING, "instanceType": STRING, "instanceSize": STRING, "scaling": ref("Scaling")},
        ("accelerator", "instanceType", "instanceSize"),
    ),
    "ComputeUpdate": obj(
        {"accelerator": STRING, "instanceType": STRING, "instanceSize": STRING, "scaling": ref("Scaling")}
    ),
    "Image": {
        "type": "object",
        "description": 'One image variant: {"huggingface": {}}, {"custom": {"url": ...}}, {"tgi": {...}} ...',
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": {"type": "object"},
    },
    "Model": obj(
        {
            "repository": STRING,
            "framework": STRING,
            "revision": NULLABLE_STRING,
            "task": STRING,
            "image": ref("Image"),
            "env": STRING_MAP,
            "secrets": STRING_MAP,
            "command": {"type": "array", "items": STRING},
            "args": {"type": "array", "items": STRING},
        },
        ("repository", "framework"),
    ),
    "ModelUpdate": obj(
        {
            "repository": STRING,
            "framework": STRING,
            "revision": NULLABLE_STRING,
            "task": STRING,
            "image": ref("Image"),
            "env": STRING_MAP,
            "secrets": STRING_MAP,
        }
    ),
    "CreateEndpoint": obj(
        {
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{2,30}[a-z0-9]$"},
            "type": {"type": "string", "enum": list(ENDPOINT_TYPES)},
            "provider": ref("Provider"),
            "compute": ref("Compute"),
            "model": ref("Model"),
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
            "private": {"type": "object", "nullable": True},
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
            "model": {"allOf": [ref("Model"), {"required": ["revision", "task", "image"]}]},
            "healthRoute": STRING,
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
                        "regions": {
                            "type": "array",
                            "items": obj(
                                {
                                    "name": STRING,
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
}

ERROR_MEANINGS = {
    "400": "The request breaks a rule (name, hardware, replicas, quota, repository, state)",
    "401": "Missing or unknown token",
    "403": "The token does not reach this namespace, or is read-only",
    "404": "No such endpoint",
    "409": "An endpoint of that name exists already",
    "422": "The body cannot be read as the expected type",
}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def operation(
    summary: str, ok: dict[str, Any], errors: tuple[str, ...], body: str | None = None
) -> dict[str, Any]:
    responses = {"200": {"description": "OK", **json_content(ok)}}
    for code in errors:
        responses[code] = {"description": ERROR_MEANINGS[code], **json_content(ref("Error"))}
    spec: dict[str, Any] = {"summary": summary, "responses": responses}
    if body:
        spec["requestBody"] = {"required": True, **json_content(ref(body))}
    return spec


NAMESPACE = {"name": "namespace", "in": "path", "required": True, "schema": STRING}
NAME = {"name": "name", "in": "path", "required": True, "schema": STRING}
ACTION_ERRORS = ("400", "401", "403", "404")


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
                    "Create an endpoint", endpoint, ("400", "401", "403", "409", "422"), body="CreateEndpoint"
                ),
            },
            "/endpoint/{namespace}/{name}": {
                "parameters": [NAMESPACE, NAME],
                "get": operation("Get an endpoint", endpoint, ("401", "403", "404")),
                "put": operation(
                    "Update an endpoint", endpoint, (*ACTION_ERRORS, "422"), body="UpdateEndpoint"
                ),
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
