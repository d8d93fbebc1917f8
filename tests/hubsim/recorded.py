"""Answers of the real Endpoints API and catalog, as huggingface_hub's own tests recorded them (Apache-2.0):
hubsim's answers are compared with these, not with hubsim's own description of itself.

- ``ENDPOINT_PENDING``, ``ENDPOINT_RUNNING``, ``ENDPOINT_UPDATING``: ``MOCK_INITIALIZING``, ``MOCK_RUNNING``,
  ``MOCK_UPDATE`` of huggingface_hub ``tests/test_inference_endpoints.py`` (type "protected" there, an older
  name of "authenticated");
- ``PROVIDERS``: ``MOCK_PROVIDERS`` of the same file, "Trimmed response of GET /v2/provider/{namespace}";
- ``CATALOG_DEPLOY``: the answer of a catalog deploy in ``tests/test_hf_api.py``
  (``test_create_inference_endpoint_from_catalog``);
- ``NULL_TASK_ERROR``: the API's answer to ``"task": null`` (huggingface_hub commit a3d9d8a).
"""

ENDPOINT_PENDING = {
    "name": "my-endpoint-name",
    "type": "protected",
    "accountId": None,
    "provider": {"vendor": "aws", "region": "us-east-1"},
    "healthRoute": "/health",
    "compute": {
        "accelerator": "cpu",
        "instanceType": "intel-icl",
        "instanceSize": "x2",
        "scaling": {"minReplica": 0, "maxReplica": 1},
    },
    "model": {
        "repository": "gpt2",
        "revision": "11c5a3d5811f50298f278a704980280950aedb10",
        "task": "text-generation",
        "framework": "pytorch",
        "image": {"huggingface": {}},
    },
    "status": {
        "createdAt": "2023-10-26T12:41:53.263078506Z",
        "createdBy": {"id": "6273f303f6d63a28483fde12", "name": "Wauplin"},
        "updatedAt": "2023-10-26T12:41:53.263079138Z",
        "updatedBy": {"id": "6273f303f6d63a28483fde12", "name": "Wauplin"},
        "private": None,
        "state": "pending",
        "message": "Endpoint waiting to be scheduled",
        "readyReplica": 0,
        "targetReplica": 0,
    },
}

ENDPOINT_RUNNING = {
    **ENDPOINT_PENDING,
    "model": {**ENDPOINT_PENDING["model"], "secrets": {"token": "my-token"}},
    "status": {
        **ENDPOINT_PENDING["status"],
        "state": "running",
        "message": "Endpoint is ready",
        "url": "https://vksrvs8pc1xnifhq.us-east-1.aws.endpoints.huggingface.cloud",
        "readyReplica": 1,
        "targetReplica": 1,
    },
}

ENDPOINT_UPDATING = {
    **ENDPOINT_PENDING,
    "status": {
        **ENDPOINT_PENDING["status"],
        "state": "updating",
        "url": "https://vksrvs8pc1xnifhq.us-east-1.aws.endpoints.huggingface.cloud",
        "message": "Endpoint waiting for the update",
        "readyReplica": 0,
        "targetReplica": 1,
    },
}

PROVIDERS = {
    "vendors": [
        {
            "name": "aws",
            "status": "available",
            "regions": [
                {
                    "name": "us-east-1",
                    "label": "N. Virginia",
                    "status": "available",
                    "computes": [
                        {
                            "id": "aws-us-east-1-nvidia-l4-x1",
                            "accelerator": "gpu",
                            "numAccelerators": 1,
                            "numCpus": 7,
                            "memoryGb": 30.0,
                            "gpuMemoryGb": 24,
                            "instanceType": "nvidia-l4",
                            "instanceSize": "x1",
                            "architecture": "Nvidia L4",
                            "status": "available",
                            "pricePerHour": 0.8,
                            "quota": {"maxAccelerators": 16, "usedAccelerators": 1},
                        },
                        {
                            "id": "aws-us-east-1-intel-spr-x1",
                            "accelerator": "cpu",
                            "numAccelerators": 1,
                            "memoryGb": 2.0,
                            "gpuMemoryGb": None,
                            "instanceType": "intel-spr",
                            "instanceSize": "x1",
                            "architecture": "Intel Sapphire Rapids",
                            "status": "available",
                            "pricePerHour": 0.033,
                            "quota": {"maxAccelerators": 60, "usedAccelerators": 0},
                        },
                    ],
                }
            ],
        },
        {
            "name": "gcp",
            "status": "available",
            "regions": [{"name": "us-east4", "label": "Virginia", "status": "available", "computes": []}],
        },
    ]
}

CATALOG_DEPLOY = {
    "endpoint": {
        "compute": {
            "accelerator": "gpu",
            "id": "aws-us-east-1-nvidia-l4-x1",
            "instanceSize": "x1",
            "instanceType": "nvidia-l4",
            "scaling": {
                "maxReplica": 1,
                "measure": {"hardwareUsage": None},
                "metric": "hardwareUsage",
                "minReplica": 0,
                "scaleToZeroTimeout": 15,
            },
        },
        "model": {
            "env": {},
            "framework": "pytorch",
            "image": {
                "tgi": {
                    "disableCustomKernels": False,
                    "healthRoute": "/health",
                    "port": 80,
                    "url": "ghcr.io/huggingface/text-generation-inference:3.1.1",
                }
            },
            "repository": "meta-llama/Llama-3.2-3B-Instruct",
            "revision": "0cb88a4f764b7a12671c53f0838cd831a0843b95",
            "secrets": {},
            "task": "text-generation",
        },
        "name": "llama-3-2-3b-instruct-eey",
        "provider": {"region": "us-east-1", "vendor": "aws"},
        "healthRoute": "/health",
        "status": {
            "createdAt": "2025-03-07T15:30:13.949Z",
            "createdBy": {"id": "6273f303f6d63a28483fde12", "name": "Wauplin"},
            "message": "Endpoint waiting to be scheduled",
            "readyReplica": 0,
            "state": "pending",
            "targetReplica": 1,
            "updatedAt": "2025-03-07T15:30:13.949Z",
            "updatedBy": {"id": "6273f303f6d63a28483fde12", "name": "Wauplin"},
        },
        "type": "protected",
    }
}

NULL_TASK_ERROR = "Failed to parse the request body as JSON: model.task: expected value"


def shape(value: object) -> object:
    """A payload's structure: each object's keys with the shape of their values, a value's JSON type."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def missing_from(recorded: object, answer: object, path: str = "") -> list[str]:
    """Every key of the recorded payload that the answer lacks, or holds with another JSON type (a null in
    either is read as "any type": the recorded value may be an optional one left empty)."""
    if isinstance(recorded, list):
        return _missing_items(recorded, answer, path)
    if not isinstance(recorded, dict):
        recorded_shape, answer_shape = shape(recorded), shape(answer)
        return [] if "null" in (recorded_shape, answer_shape) or recorded_shape == answer_shape else [path]
    if not isinstance(answer, dict):
        return [path]
    problems = []
    for key, item in recorded.items():
        where = f"{path}.{key}" if path else key
        problems += missing_from(item, answer[key], where) if key in answer else [where]
    return problems


def _missing_items(recorded: list, answer: object, path: str) -> list[str]:
    """Each recorded item of a list, against the answer's item of the same ``id`` (or ``name``)."""
    if not isinstance(answer, list):
        return [path]
    problems = []
    for item in recorded:
        key = "id" if "id" in item else "name"
        counterpart = next((other for other in answer if other.get(key) == item[key]), None)
        where = f"{path}[{item[key]}]"
        problems += [where] if counterpart is None else missing_from(item, counterpart, where)
    return problems
