"""Turning create and update requests into an operation's stored payload and back.

Secrets never go into the payload (it is shown in the UI and the audit log): they are stored encrypted
beside it and erased when the operation ends.
"""

import json
from dataclasses import asdict, fields
from typing import Any

from endpoints_app import token_vault
from endpoints_app.hf.remote import CustomImage, EndpointSpec, EndpointUpdate
from endpoints_app.models import CatalogRecipe

CATALOG_RECIPE = "catalog_recipe"  # a create that deploys this catalog recipe instead of an EndpointSpec


def catalog_payload(recipe: CatalogRecipe, name: str) -> dict[str, Any]:
    """A catalog deploy as an operation stores it: the recipe, and what it deploys (for people to read)."""
    return {
        CATALOG_RECIPE: recipe.public_id,
        "name": name,
        "repository": recipe.model.repo_id,
        "engine": recipe.engine,
        "accelerator": recipe.accelerator,
        "gguf_file": recipe.gguf_file,
        "instance_type": recipe.instance_type,
        "instance_size": recipe.instance_size,
    }


def catalog_recipe_of(payload: dict[str, Any]) -> str | None:
    return payload.get(CATALOG_RECIPE)


def spec_to_payload(spec: EndpointSpec) -> dict[str, Any]:
    payload = asdict(spec)
    payload.pop("secrets")
    payload["tags"] = list(spec.tags)
    payload["container_args"] = list(spec.container_args)
    payload["secret_names"] = sorted(spec.secrets)
    return payload


def spec_from_payload(payload: dict[str, Any], secrets: dict[str, str]) -> EndpointSpec:
    values = {
        f.name: payload[f.name] for f in fields(EndpointSpec) if f.name in payload and f.name != "secrets"
    }
    if image := values.get("custom_image"):
        # An operation stored before images had variants kept the container's environment in the image,
        # where the API drops it: it is the endpoint's environment.
        values["env"] = {**(image.pop("env", None) or {}), **(values.get("env") or {})}
        values["custom_image"] = CustomImage(**image)
    values["container_args"] = tuple(values.get("container_args") or ())
    values["tags"] = tuple(values.get("tags") or ())
    return EndpointSpec(**values, secrets=secrets)


def update_to_payload(update: EndpointUpdate) -> dict[str, Any]:
    payload = {key: value for key, value in asdict(update).items() if value is not None}
    if "secrets" in payload:
        payload["secret_names"] = sorted(payload.pop("secrets"))
    for listed in ("tags", "container_args"):
        if listed in payload:
            payload[listed] = list(payload[listed])
    return payload


def update_from_payload(payload: dict[str, Any], secrets: dict[str, str] | None) -> EndpointUpdate:
    values = {
        f.name: payload[f.name] for f in fields(EndpointUpdate) if f.name in payload and f.name != "secrets"
    }
    for listed in ("tags", "container_args"):
        if listed in values:
            values[listed] = tuple(values[listed])
    if "custom_image" in values:
        values["custom_image"] = CustomImage(**values["custom_image"])
    return EndpointUpdate(**values, secrets=secrets)


def encrypt_secrets(secrets: dict[str, str]) -> bytes | None:
    return token_vault.encrypt(json.dumps(secrets)) if secrets else None


def decrypt_secrets(ciphertext: bytes | memoryview | None) -> dict[str, str]:
    return json.loads(token_vault.decrypt(bytes(ciphertext))) if ciphertext else {}
