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
def _fresh_memories() -> None:
    """Banners and status checks remember answers for a moment per process; each test starts without them."""
    from dashboard import banners
    from endpoints_app.services import listings

    banners.forget()
    listings.forget()
