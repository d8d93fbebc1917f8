"""Shared fixtures (tests/fixtures/): Redis, a Celery worker, hubsim, the ASGI server, Chromium, the team."""

import pytest

pytest_plugins = [
    "tests.fixtures.redis_server",
    "tests.fixtures.celery_worker",
    "tests.fixtures.live_server",
    "tests.fixtures.browser",
    "tests.fixtures.hubsim",
    "tests.fixtures.team",
    "tests.playground.fixtures",
    "tests.endpoints.fixtures",
    "tests.billing.fixtures",
]


@pytest.fixture(autouse=True)
def _fresh_banners() -> None:
    """Banners remember their probes for a few seconds per process; each test starts without that memory."""
    from dashboard import banners

    banners.forget()
