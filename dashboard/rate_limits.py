"""Per-user rate limits, counted in Redis so that every web process shares them (fixed one-minute windows).

django-ratelimit would be the usual choice, but its decorator is synchronous and the playground's send view
is async. When Redis is down the limit is not enforced (actions are refused then anyway: the queue is down).
"""

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass
from functools import cache

import redis
import redis.asyncio as aioredis
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    name: str
    per_minute_setting: str  # the setting that holds the number of requests allowed per minute

    @property
    def per_minute(self) -> int:
        return getattr(settings, self.per_minute_setting)

    def key(self, user_id: int) -> str:
        return f"ratelimit:{self.name}:{user_id}:{int(time.time() // 60)}"

    def refusal(self) -> str:
        return f"Too many {self.name} in a minute (at most {self.per_minute}). Wait a moment and try again."


ACTIONS = RateLimit("actions", "RATE_LIMIT_ACTIONS_PER_MINUTE")
PLAYGROUND_SENDS = RateLimit("playground requests", "RATE_LIMIT_PLAYGROUND_PER_MINUTE")
PLAYGROUND_UPLOADS = RateLimit("uploads", "RATE_LIMIT_UPLOADS_PER_MINUTE")


@cache
def _client(url: str) -> redis.Redis:
    """One pooled client per Redis URL for the process (redis-py's pool is thread-safe)."""
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


# asyncio connections belong to the event loop that opened them: pooled clients per loop (and URL).
_async_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aioredis.Redis]]" = (
    weakref.WeakKeyDictionary()
)


def _async_client(url: str) -> aioredis.Redis:
    clients = _async_clients.setdefault(asyncio.get_running_loop(), {})
    if url not in clients:
        clients[url] = aioredis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    return clients[url]


def allow(limit: RateLimit, user_id: int) -> bool:
    """Counts one request of the user; False once the minute's allowance is spent."""
    key = limit.key(user_id)
    try:
        with _client(settings.REDIS_URL).pipeline() as pipeline:
            count, _ = pipeline.incr(key).expire(key, 120).execute()
    except redis.RedisError as error:
        logger.warning("Rate limit %s not enforced: %s", limit.name, error)
        return True
    return count <= limit.per_minute


async def allow_async(limit: RateLimit, user_id: int) -> bool:
    key = limit.key(user_id)
    try:
        async with _async_client(settings.REDIS_URL).pipeline() as pipeline:
            count, _ = await pipeline.incr(key).expire(key, 120).execute()
    except redis.RedisError as error:
        logger.warning("Rate limit %s not enforced: %s", limit.name, error)
        return True
    return count <= limit.per_minute
