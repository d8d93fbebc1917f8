"""Health checks of the parts the console needs: database, Redis, Celery workers and the HF API base.

The checks cost a database query, a Redis ping, a one-second broadcast to the workers and a call to the Hub:
their results are kept HEALTH_CACHE_SECONDS per process, so that a monitor polling the readiness report (or
several) does not multiply that work.
"""

import asyncio
import time
from dataclasses import dataclass

import httpx2
import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str


def _check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return CheckResult(True, connection.vendor)
    except Exception as error:  # any driver error means "down"
        return CheckResult(False, type(error).__name__)
    finally:
        connection.close()


async def check_database() -> CheckResult:
    return await sync_to_async(_check_database, thread_sensitive=False)()


async def check_redis() -> CheckResult:
    client = aioredis.from_url(settings.REDIS_URL, socket_connect_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        await asyncio.wait_for(client.ping(), CHECK_TIMEOUT_SECONDS)
        return CheckResult(True, "pong")
    except Exception as error:
        return CheckResult(False, type(error).__name__)
    finally:
        await client.aclose()


def _ping_workers() -> CheckResult:
    from dashboard.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
            replies = app.control.ping(timeout=1.0, connection=connection)
    except Exception as error:
        return CheckResult(False, type(error).__name__)
    if not replies:
        return CheckResult(False, "no worker answered")
    return CheckResult(True, f"{len(replies)} worker(s)")


async def check_celery() -> CheckResult:
    return await sync_to_async(_ping_workers, thread_sensitive=False)()


async def check_hf_api() -> CheckResult:
    """The Hub answers (a 401 to an anonymous whoami still proves it is reachable)."""
    url = f"{settings.HF_ENDPOINT}/api/whoami-v2"
    try:
        async with httpx2.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS) as client:
            response = await client.get(url)
    except httpx2.HTTPError as error:
        return CheckResult(False, type(error).__name__)
    if response.status_code >= 500:
        return CheckResult(False, f"HTTP {response.status_code}")
    return CheckResult(True, settings.HF_ENDPOINT)


async def run_all() -> dict[str, CheckResult]:
    names = ("database", "redis", "celery", "hf_api")
    results = await asyncio.gather(check_database(), check_redis(), check_celery(), check_hf_api())
    return dict(zip(names, results, strict=True))


_cached: tuple[float, dict[str, CheckResult]] | None = None


async def cached_results() -> dict[str, CheckResult]:
    """run_all's results, at most HEALTH_CACHE_SECONDS old (two callers missing the cache at once both check:
    harmless, and no lock tied to one event loop)."""
    global _cached
    now = time.monotonic()
    if _cached is not None and now - _cached[0] < settings.HEALTH_CACHE_SECONDS:
        return _cached[1]
    results = await run_all()
    _cached = (time.monotonic(), results)
    return results


def forget_cached_results() -> None:
    global _cached
    _cached = None
