"""Shared fixtures: the real Redis, a real Celery worker, live servers and a real Chromium."""

import pytest
import redis
from django.conf import settings

pytest_plugins = [
    "tests.fixtures.celery_worker",
    "tests.fixtures.live_server",
    "tests.fixtures.browser",
    "tests.fixtures.hubsim",
    "tests.fixtures.team",
]


@pytest.fixture(scope="session")
def redis_client() -> redis.Redis:
    """The test Redis database, emptied once per session. Fails loudly when Redis is not running."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis does not answer at {settings.REDIS_URL} ({error}); `bash .ci/run` starts one.")
    client.flushdb()
    return client


@pytest.fixture(autouse=True)
def _fresh_banners() -> None:
    """Banners remember their probes for a few seconds per process; each test starts without that memory."""
    from dashboard import banners

    banners.forget()
