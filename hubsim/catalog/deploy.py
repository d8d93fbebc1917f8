"""From a catalog model or recipe to the create payload of an endpoint, as the catalog deploys it.

The endpoint a catalog deploy creates: type ``authenticated`` (huggingface_hub commit 5589874 cites
hf-endpoints#2350, "catalog deploy defaults to authenticated"); ``minReplica`` 0, ``maxReplica`` 1, a
15-minute scale-to-zero timeout, the ``hardwareUsage`` metric, framework ``pytorch``, empty ``env`` and
``secrets`` (a recorded catalog deploy answer, huggingface_hub ``tests/test_hf_api.py``); a generated name
like "llama-3-2-3b-instruct-eey", the model name in lowercase with three random letters (same answer).
"""

import re
import secrets
import string
from typing import Any

from hubsim.catalog.recipes import CatalogModel, Recipe
from hubsim.errors import ApiError

MAX_NAME_LENGTH = 32
NAME_SUFFIX_LENGTH = 3


def default_name(model: CatalogModel) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", model.name.lower()).strip("-")
    base = base[: MAX_NAME_LENGTH - NAME_SUFFIX_LENGTH - 1].rstrip("-")
    return f"{base}-{''.join(secrets.choice(string.ascii_lowercase) for _ in range(NAME_SUFFIX_LENGTH))}"


def chosen_recipe(model: CatalogModel, accelerator: str | None, gguf_file: str | None) -> Recipe:
    """The model's default recipe (its first) among those of ``accelerator`` and ``gguf_file``, when given."""
    for recipe in model.recipes:
        if accelerator in (None, recipe.accelerator) and gguf_file in (None, recipe.gguf_file):
            return recipe
    wanted = " and ".join(
        f"{label} '{value}'"
        for label, value in (("accelerator", accelerator), ("GGUF file", gguf_file))
        if value
    )
    raise ApiError(400, f"No recipe of '{model.repo_id}' matches {wanted}")


def endpoint_payload(model: CatalogModel, recipe: Recipe, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "authenticated",
        "provider": {"vendor": recipe.vendor, "region": recipe.region},
        "compute": {
            "accelerator": recipe.accelerator,
            "instanceType": recipe.instance_type,
            "instanceSize": recipe.instance_size,
            "scaling": {
                "minReplica": 0,
                "maxReplica": 1,
                "scaleToZeroTimeout": 15,
                "measure": {"hardwareUsage": None},
            },
        },
        "model": {
            "repository": model.repo_id,
            "framework": "pytorch",
            "revision": recipe.revision,
            "task": model.task,
            "image": recipe.image,
            "env": {},
            "secrets": {},
        },
    }
