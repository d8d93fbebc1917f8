"""Endpoint names suggested from a repository, the way the hosted UI and the tutorial name them."""

import re
from collections.abc import Collection

from endpoints_app.models import Endpoint, Namespace

MAX_BASE_LENGTH = 28  # leaves room for "-001" within the 32 characters the service allows
FALLBACK_BASE = "endpoint"


def suggest_name(repository: str, taken: Collection[str]) -> str:
    """'google/gemma-1.1-2b-it' -> 'gemma-1-1-2b-it-001' (or -002 ... when taken)."""
    model = repository.rsplit("/", 1)[-1].lower()
    base = re.sub(r"[^a-z0-9]+", "-", model)[:MAX_BASE_LENGTH].strip("-") or FALLBACK_BASE
    number = 1
    while f"{base}-{number:03d}" in taken:
        number += 1
    return f"{base}-{number:03d}"


def suggest_name_in(namespace: Namespace | None, repository: str) -> str:
    """A suggestion that no endpoint of the namespace's mirror already uses."""
    taken: set[str] = set()
    if namespace is not None:
        taken = set(
            Endpoint.objects.filter(namespace=namespace, is_gone=False).values_list("name", flat=True)
        )
    return suggest_name(repository, taken)
