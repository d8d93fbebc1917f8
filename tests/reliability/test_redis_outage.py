"""Redis stopped: pages render from the database with a banner, actions are refused cleanly, and work
proceeds once Redis is back."""

import pytest
from django.test import Client

from dashboard import banners
from endpoints_app.models import Operation
from endpoints_app.services import operations
from endpoints_app.services.errors import ActionRefused
from tests.core.test_operations import create_running
from tests.fixtures.team import Team
from tests.waiting import finished


@pytest.mark.slow
def test_the_console_survives_a_redis_outage(team: Team, celery_worker, hubsim, redis_server) -> None:
    if redis_server is None:
        pytest.skip("TEST_REDIS_URL points at a Redis this test may not stop")
    endpoint = create_running(team)
    client = Client()
    client.force_login(team.operator)

    redis_server.stop()
    try:
        page = client.get("/")
        assert page.status_code == 200
        assert b"The task queue (Redis) is not answering" in page.content
        with pytest.raises(ActionRefused, match=r"The task queue \(Redis\) does not answer"):
            operations.pause_endpoint(team.actor(), endpoint)
        refused = Operation.objects.get(kind="pause")
        assert (refused.state, refused.is_active) == ("failed", False)
    finally:
        redis_server.start()
    banners.forget()

    assert b"Redis" not in client.get("/").content
    assert finished(operations.pause_endpoint(team.actor(), endpoint), timeout=60).state == "succeeded"
