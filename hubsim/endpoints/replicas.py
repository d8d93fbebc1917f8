"""Replica names: ``<deployment id>-<replica id>``, e.g. ``6pajyw3k-z7ghx``.

The Logs guide of hf-endpoints-documentation (``guides/logs.md``) shows a deployment identifier ``6pajyw3k``,
a replica ``z7ghx`` and the combined ``6pajyw3k-z7ghx``; the analytics guide's OpenMetrics sample labels
requests with ``replica_id="fqwg7eri-hskoj"``. The alphabet (lowercase letters and digits) is assumed.
"""

import secrets
import string

ALPHABET = string.ascii_lowercase + string.digits
DEPLOYMENT_ID_LENGTH = 8
REPLICA_ID_LENGTH = 5


def _random_id(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_deployment_id() -> str:
    return _random_id(DEPLOYMENT_ID_LENGTH)


def new_replica_names(deployment_id: str, count: int) -> list[str]:
    return [f"{deployment_id}-{_random_id(REPLICA_ID_LENGTH)}" for _ in range(count)]
