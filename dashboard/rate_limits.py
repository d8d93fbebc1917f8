"""Per-user rate limits, counted in Redis so that every web process shares them (fixed one-minute windows).

django-ratelimit would be the usual choice, but its decorator is synchronous and the playground's send view
is async. When Redis is down the limit is not enforced (actions are refused then anyway: the queue is down).
"""

import logging
import time
from dataclasses import dataclass

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


def allow(limit: RateLimit, user_id: int) -> bool:
    """Counts one request of the user; False once the minute's allowance is spent."""
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        with client.pipeline() as pipeline:
            count, _ = pipeline.incr(limit.key(user_id)).expire(limit.key(user_id), 120).execute()
    except redis.RedisError as error:
        logger.warning("Rate limit %s not enforced: %s", limit.name, error)
        return True
    return count <= limit.per_minute


async def allow_async(limit: RateLimit, user_id: int) -> bool:
    client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        async with client.pipeline() as pipeline:
            count, _ = await pipeline.incr(limit.key(user_id)).expire(limit.key(user_id), 120).execute()
    except redis.RedisError as error:
        logger.warning("Rate limit %s not enforced: %s", limit.name, error)
        return True
    finally:
        await client.aclose()
    return count <= limit.per_minute
