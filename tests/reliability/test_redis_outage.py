"""Redis stopped: pages render from the database with a banner, an action is recorded and queued (said so),
and it runs once Redis is back, once."""

import pytest
from django.test import Client
from django.urls import reverse

from dashboard import banners
from endpoints_app import tasks
from endpoints_app.models import Operation
from endpoints_app.services import operations
from endpoints_app.services.errors import OperationInProgress
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
        answer = client.post(reverse("endpoints:pause", args=[endpoint.pk]), follow=True)
        assert b"Queued: it starts when the task queue (Redis) is back." in answer.content
        queued = Operation.objects.get(kind="pause")
        assert (queued.state, queued.is_active, queued.queue_down_at is not None) == ("queued", True, True)
        with pytest.raises(OperationInProgress):  # recorded: a second pause is not taken as another
            operations.pause_endpoint(team.actor(), endpoint)
    finally:
        redis_server.start()
    banners.forget()

    assert b"Redis" not in client.get("/").content
    hubsim.control.reset_requests()
    assert tasks.reconcile_operations() == 1  # beat's next round: at once, not after the grace
    assert tasks.reconcile_operations() == 0  # handed over: not sent twice
    assert finished(queued, timeout=60).state == "succeeded"
    assert hubsim.control.request_counts()["by_route"]["POST /v2/endpoint/{namespace}/{name}/pause"] == 1
