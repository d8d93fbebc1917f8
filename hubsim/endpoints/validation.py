"""Validation of create and update payloads, as the service does it, into a normalised endpoint spec.

A body that cannot be read into the API's types answers 400 ``Failed to parse the request body as JSON:
...`` (see ``parsing``); a readable body that breaks a rule answers 400 too (409 for a duplicate name, in the
backend). Fields the API does not declare are dropped, as serde drops them (see ``images`` for the sources).
"""

import copy
import re
from collections.abc import Callable
from typing import Any

from hubsim.accounts import Identity
from hubsim.endpoints.hardware import Compute, HardwareCatalog
from hubsim.endpoints.images import image_variant, read_image
from hubsim.endpoints.parsing import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    OBJECT,
    STRING,
    STRING_MAP,
    STRINGS,
    checked,
    read,
    read_variant,
    require_object,
    unknown_variant,
    unreadable,
)
from hubsim.errors import ApiError

# The v2 API's EndpointType enum (huggingface_hub commit 5589874: "public | authenticated | private, no
# protected").
ENDPOINT_TYPES = ("public", "authenticated", "private")
NAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{2,30})[a-z0-9]$")
KNOWN_TASKS = (
    "text-generation",
    "text2text-generation",
    "image-text-to-text",
    "text-to-image",
    "feature-extraction",
    "sentence-similarity",
    "text-classification",
    "custom",
)
# "1 hour by default" (hf-endpoints-documentation guides/autoscaling.md and guides/configuration.md).
DEFAULT_SCALE_TO_ZERO_MINUTES = 60
# huggingface_hub's InferenceEndpointScalingMetric; a recorded answer shows {"hardwareUsage": null} and
# metric "hardwareUsage" when none was asked for (tests/test_hf_api.py).
SCALING_METRICS = ("hardwareUsage", "pendingRequests")
DEFAULT_SCALING_METRIC = "hardwareUsage"
# create_inference_endpoint's docstring: the PrivateLink entry point is "us-east-1" or "eu-west-1", on AWS.
PRIVATE_LINK_REGIONS = ("us-east-1", "eu-west-1")
# Engines that split a model over the instance's accelerators only when told to (huggingface_hub's guide,
# "Parallelism on multi-accelerator instances": the API rejects such a deployment left unset).
PARALLEL_VARIANTS = ("vLLM", "sGLang")
# Keys of an update that replace the stored value whole instead of merging into it.
REPLACED_WHOLE = {"image", "env", "secrets", "tags", "command", "args", "measure"}

RepoLookup = Callable[[str], Any]  # hubsim.models.get_repo: repo id -> RepoSpec | None


def check_name(name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise ApiError(
            400,
            f"Invalid endpoint name '{name}': use 4 to 32 characters, lowercase letters, digits and hyphens,"
            " starting and ending with a letter or a digit",
        )


def normalise_spec(
    payload: Any, identity: Identity, catalog: HardwareCatalog, get_repo: RepoLookup, repo_sha: Callable
) -> dict[str, Any]:
    """The spec to store for a create payload (or a merged update), or an ApiError."""
    payload = require_object(payload, "")
    endpoint_type = read_variant(payload, "type", ENDPOINT_TYPES, "")
    provider = _provider(read(payload, "provider", OBJECT, "", required=True))
    compute, hardware = _compute(read(payload, "compute", OBJECT, "", required=True), provider, catalog)
    model = _model(read(payload, "model", OBJECT, "", required=True), identity, get_repo, repo_sha)
    _check_parallelism(model["image"], hardware)
    spec: dict[str, Any] = {
        "type": endpoint_type,
        "provider": provider,
        "compute": compute,
        "model": model,
        "tags": read(payload, "tags", STRINGS, "") or [],
        "cacheHttpResponses": bool(read(payload, "cacheHttpResponses", BOOLEAN, "")),
    }
    route = read(payload, "route", OBJECT, "")
    if route is not None:
        spec["route"] = _kept(route, {"domain": STRING, "path": STRING}, "route")
    private_service = read(payload, "privateService", OBJECT, "")
    if private_service is not None:
        spec["privateService"] = _private_service(private_service, provider)
    experimental = read(payload, "experimentalFeatures", OBJECT, "")
    if experimental is not None:
        spec["experimentalFeatures"] = experimental
    return spec


def merge_update(spec: dict[str, Any], update: Any) -> dict[str, Any]:
    """The stored spec with a partial update (PUT body) laid over it."""
    update = require_object(update, "")
    merged = copy.deepcopy(spec)
    _merge_into(merged, update)
    new_model = update.get("model")
    if isinstance(new_model, dict) and "repository" in new_model and "revision" not in new_model:
        merged["model"]["revision"] = None  # another repository, at its latest revision
    return merged


def _merge_into(target: dict, update: dict) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key not in REPLACED_WHOLE:
            _merge_into(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _kept(raw: dict, fields: dict, path: str) -> dict:
    kept = {name: read(raw, name, kind, path) for name, kind in fields.items()}
    return {name: value for name, value in kept.items() if value is not None}


def _provider(raw: dict) -> dict[str, str]:
    return {
        "vendor": read(raw, "vendor", STRING, "provider", required=True),
        "region": read(raw, "region", STRING, "provider", required=True),
    }


def _compute(raw: dict, provider: dict[str, str], catalog: HardwareCatalog) -> tuple[dict, Compute]:
    vendor, region = provider["vendor"], provider["region"]
    accelerator = read(raw, "accelerator", STRING, "compute", required=True)
    instance_type = read(raw, "instanceType", STRING, "compute", required=True)
    instance_size = read(raw, "instanceSize", STRING, "compute", required=True)
    if not catalog.has_region(vendor, region):
        raise ApiError(400, f"Unknown provider region '{vendor}/{region}'")
    found = catalog.find(vendor, region, instance_type, instance_size)
    if found is None:
        raise ApiError(400, f"Unknown hardware '{instance_type} {instance_size}' in {vendor}/{region}")
    if found.accelerator != accelerator:
        raise ApiError(
            400, f"Hardware '{instance_type}' is a {found.accelerator} instance, not a {accelerator} instance"
        )
    if found.status == "not_available":
        raise ApiError(
            400, f"Hardware '{instance_type} {instance_size}' is not available in {vendor}/{region}"
        )
    compute = {
        "accelerator": accelerator,
        "id": found.id,
        "instanceType": instance_type,
        "instanceSize": instance_size,
        "scaling": _scaling(read(raw, "scaling", OBJECT, "compute") or {}),
    }
    return compute, found


def _scaling(raw: dict) -> dict:
    path = "compute.scaling"
    min_replica = read(raw, "minReplica", INTEGER, path)
    max_replica = read(raw, "maxReplica", INTEGER, path)
    min_replica = 1 if min_replica is None else min_replica
    max_replica = 1 if max_replica is None else max_replica
    timeout = read(raw, "scaleToZeroTimeout", INTEGER, path)
    if min_replica < 0:
        raise ApiError(400, f"minReplica must be 0 or more, got {min_replica}")
    if max_replica < 1:
        raise ApiError(400, f"maxReplica must be 1 or more, got {max_replica}")
    if min_replica > max_replica:
        raise ApiError(400, f"minReplica ({min_replica}) cannot be greater than maxReplica ({max_replica})")
    if timeout is not None and timeout < 1:
        raise ApiError(400, f"scaleToZeroTimeout must be at least 1 minute, got {timeout}")
    if timeout is None and min_replica == 0:
        timeout = DEFAULT_SCALE_TO_ZERO_MINUTES
    metric, measure = _measure(raw, path)
    return {
        "minReplica": min_replica,
        "maxReplica": max_replica,
        "scaleToZeroTimeout": timeout,
        "metric": metric,
        "measure": measure,
    }


def _measure(raw: dict, path: str) -> tuple[str, dict[str, float | None]]:
    """The autoscaling metric and its threshold (null: the service's default threshold)."""
    measure = read(raw, "measure", OBJECT, path)
    metric = read(raw, "metric", STRING, path)
    if measure:
        metric = next(iter(measure))
        threshold = measure[metric]
        if threshold is not None:
            checked(threshold, NUMBER, f"{path}.measure.{metric}")
    else:
        metric, threshold = metric or DEFAULT_SCALING_METRIC, None
    if metric not in SCALING_METRICS:
        raise unreadable(f"{path}.measure", unknown_variant(metric, SCALING_METRICS))
    return metric, {metric: threshold}


def _model(raw: dict, identity: Identity, get_repo: RepoLookup, repo_sha: Callable) -> dict:
    repository = read(raw, "repository", STRING, "model", required=True)
    framework = read(raw, "framework", STRING, "model", required=True)
    # Not nullable (a null answers "model.task: expected value"); left out, the repository's task.
    task = read(raw, "task", STRING, "model", nullable=False)
    image = read_image(raw)
    repo = get_repo(repository)
    if repo is None:
        raise ApiError(400, f"Model repository '{repository}' not found on the Hub")
    if repo.gated and not identity.user.can_access_gated(repository):
        raise ApiError(
            403,
            f"Access to model repository '{repository}' is restricted: user '{identity.user.name}'"
            " must be granted access to this gated repo first",
        )
    task = task or repo.pipeline_tag
    if task not in KNOWN_TASKS:
        raise ApiError(400, f"Unsupported task '{task}': expected one of {', '.join(KNOWN_TASKS)}")
    sha = repo_sha(repository)
    revision = read(raw, "revision", STRING, "model") or sha
    if revision not in (sha, "main"):
        raise ApiError(400, f"Revision '{revision}' not found in model repository '{repository}'")
    model = {
        "repository": repository,
        "framework": framework,
        "revision": sha,
        "task": task,
        "image": image,
        "env": read(raw, "env", STRING_MAP, "model") or {},
        "secrets": read(raw, "secrets", STRING_MAP, "model") or {},
    }
    for name, kind in (("command", STRINGS), ("args", STRINGS), ("fromCatalog", BOOLEAN)):
        value = read(raw, name, kind, "model")
        if value is not None:
            model[name] = value
    return model


def _private_service(raw: dict, provider: dict[str, str]) -> dict[str, Any]:
    """AWS PrivateLink: the endpoint is reached only from the given AWS account's VPC."""
    kept = _kept(raw, {"accountId": STRING, "region": STRING, "shared": BOOLEAN}, "privateService")
    if "accountId" not in kept:
        raise unreadable("privateService", "missing field `accountId`")
    if provider["vendor"] != "aws":
        raise ApiError(400, "AWS PrivateLink is only available for endpoints deployed on aws")
    region = kept.get("region")
    if region is not None and region not in PRIVATE_LINK_REGIONS:
        raise ApiError(
            400,
            f"Unsupported PrivateLink region '{region}': expected one of {', '.join(PRIVATE_LINK_REGIONS)}",
        )
    return kept


def _check_parallelism(image: dict[str, Any], hardware: Compute) -> None:
    """vLLM and SGLang must be told how to use a multi-accelerator instance, and may not ask for more."""
    variant = image_variant(image)
    accelerators = hardware.raw["numAccelerators"]
    if variant not in PARALLEL_VARIANTS:
        return
    config = image[variant]
    tensor, data = config.get("tensorParallelSize"), config.get("dataParallelSize")
    if tensor is None and data is None and accelerators > 1:
        raise ApiError(
            400,
            f"{variant} on {accelerators} accelerators needs tensorParallelSize"
            f"{' or dataParallelSize' if variant == 'vLLM' else ''}: left unset, it would use one of them",
        )
    needed = (tensor or 1) * (data or 1)
    if needed > accelerators:
        raise ApiError(
            400,
            f"{variant} needs {needed} accelerators (tensorParallelSize x dataParallelSize), the instance"
            f" has {accelerators}",
        )
