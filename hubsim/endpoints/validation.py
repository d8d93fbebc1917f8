"""Validation of create and update payloads, as the service does it, into a normalised endpoint spec.

A payload that cannot be read into the API's types answers 422 (the service's deserialisation error);
a readable payload that breaks a rule answers 400 (409 for a duplicate name, in the backend).
"""

import copy
import re
from collections.abc import Callable
from typing import Any

from hubsim.accounts import Identity
from hubsim.endpoints.hardware import HardwareCatalog
from hubsim.errors import ApiError

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
DEFAULT_SCALE_TO_ZERO_MINUTES = 15
# Keys of an update that replace the stored value whole instead of merging into it.
REPLACED_WHOLE = {"image", "env", "secrets", "tags", "command", "args", "measure"}

RepoLookup = Callable[[str], Any]  # hubsim.models.get_repo: repo id -> RepoSpec | None


def malformed(detail: str) -> ApiError:
    return ApiError(422, f"Failed to deserialize the JSON body into the target type: {detail}")


def require(container: dict, key: str, kind: type | tuple[type, ...], path: str) -> Any:
    if key not in container or container[key] is None:
        raise malformed(f"{path}: missing field `{key}`")
    value = container[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise malformed(f"{path}.{key}: invalid type {type(value).__name__}")
    return value


def optional(container: dict, key: str, kind: type | tuple[type, ...], path: str, default: Any = None) -> Any:
    if container.get(key) is None:
        return default
    return require(container, key, kind, path)


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
    if not isinstance(payload, dict):
        raise malformed("expected a JSON object")
    endpoint_type = require(payload, "type", str, "$")
    if endpoint_type not in ENDPOINT_TYPES:
        raise ApiError(
            400, f"Invalid endpoint type '{endpoint_type}': expected one of {', '.join(ENDPOINT_TYPES)}"
        )
    spec = {key: value for key, value in payload.items() if key not in ("name", "status", "healthRoute")}
    spec["type"] = endpoint_type
    spec["provider"], spec["compute"] = _hardware(payload, catalog)
    spec["model"] = _model(require(payload, "model", dict, "$"), identity, get_repo, repo_sha)
    spec["tags"] = optional(payload, "tags", list, "$", default=[])
    spec["cacheHttpResponses"] = optional(payload, "cacheHttpResponses", bool, "$", default=False)
    return spec


def merge_update(spec: dict[str, Any], update: Any) -> dict[str, Any]:
    """The stored spec with a partial update (PUT body) laid over it."""
    if not isinstance(update, dict):
        raise malformed("expected a JSON object")
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


def _hardware(payload: dict, catalog: HardwareCatalog) -> tuple[dict, dict]:
    provider = require(payload, "provider", dict, "$")
    vendor = require(provider, "vendor", str, "provider")
    region = require(provider, "region", str, "provider")
    compute = require(payload, "compute", dict, "$")
    accelerator = require(compute, "accelerator", str, "compute")
    instance_type = require(compute, "instanceType", str, "compute")
    instance_size = require(compute, "instanceSize", str, "compute")
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
    normalised_compute = {
        **compute,
        "id": found.id,
        "scaling": _scaling(optional(compute, "scaling", dict, "compute", default={})),
    }
    return {**provider}, normalised_compute


def _scaling(scaling: dict) -> dict:
    min_replica = optional(scaling, "minReplica", int, "compute.scaling", default=1)
    max_replica = optional(scaling, "maxReplica", int, "compute.scaling", default=1)
    timeout = optional(scaling, "scaleToZeroTimeout", int, "compute.scaling")
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
    normalised = {
        **scaling,
        "minReplica": min_replica,
        "maxReplica": max_replica,
        "scaleToZeroTimeout": timeout,
    }
    if normalised.get("measure") is None:
        normalised.pop("measure", None)
    return normalised


def _model(model: dict, identity: Identity, get_repo: RepoLookup, repo_sha: Callable) -> dict:
    repository = require(model, "repository", str, "model")
    framework = require(model, "framework", str, "model")
    repo = get_repo(repository)
    if repo is None:
        raise ApiError(400, f"Model repository '{repository}' not found on the Hub")
    if repo.gated and not identity.user.can_access_gated(repository):
        raise ApiError(
            403,
            f"Access to model repository '{repository}' is restricted: user '{identity.user.name}'"
            " must be granted access to this gated repo first",
        )
    task = optional(model, "task", str, "model", default=repo.pipeline_tag)
    if task not in KNOWN_TASKS:
        raise ApiError(400, f"Unsupported task '{task}': expected one of {', '.join(KNOWN_TASKS)}")
    sha = repo_sha(repository)
    revision = optional(model, "revision", str, "model", default=sha)
    if revision not in (sha, "main"):
        raise ApiError(400, f"Revision '{revision}' not found in model repository '{repository}'")
    image = optional(model, "image", dict, "model", default={"huggingface": {}})
    if len(image) != 1 or not isinstance(next(iter(image.values())), dict):
        raise malformed('model.image: expected exactly one image variant, e.g. {"custom": {...}}')
    if "custom" in image and not isinstance(image["custom"].get("url"), str):
        raise malformed("model.image.custom: missing field `url`")
    return {
        **model,
        "repository": repository,
        "framework": framework,
        "task": task,
        "revision": sha,
        "image": image,
        "env": optional(model, "env", dict, "model", default={}),
        "secrets": optional(model, "secrets", dict, "model", default={}),
    }
