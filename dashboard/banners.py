"""Site-wide banners: the Hugging Face API failing repeatedly, or the task queue (Redis) down.

Both are read on every page, so each answer is kept for a few seconds per process: a page must not pay a
Redis connect timeout while Redis is down.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings

from endpoints_app.hf import api_health

CHECK_EVERY_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.25


@dataclass(frozen=True)
class Banner:
    level: str  # "warning" | "error"
    text: str


API_DEGRADED = Banner(
    "warning",
    "The Hugging Face API is degraded: recent calls failed. Pages show the last known state; actions are "
    "retried and may take longer.",
)
QUEUE_DOWN = Banner(
    "error",
    "The task queue (Redis) is not answering. Pages show the last known state; actions are refused until it "
    "is back.",
)

_cache: dict[str, tuple[float, bool]] = {}


def _remembered(key: str, probe: Callable[[], bool]) -> bool:
    now = time.monotonic()
    checked_at, value = _cache.get(key, (0.0, False))
    if now - checked_at > CHECK_EVERY_SECONDS:
        value = probe()
        _cache[key] = (now, value)
    return value


def _redis_is_down() -> bool:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
        return False
    except redis.RedisError:
        return True
    finally:
        client.close()


def current_banners() -> list[Banner]:
    banners = []
    if _remembered("api", api_health.is_degraded):
        banners.append(API_DEGRADED)
    if _remembered("redis", _redis_is_down):
        banners.append(QUEUE_DOWN)
    return banners


def forget() -> None:
    """Drops the remembered answers (tests change the world between two pages)."""
    _cache.clear()
