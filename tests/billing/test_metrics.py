"""Activity from the /metrics of the endpoints on the live hubsim: a request count that went up."""

from datetime import UTC, datetime, timedelta

import time_machine

from billing import metrics
from billing.models import MetricsReading
from endpoints_app.models import Endpoint

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
METRICS_ROUTE = "GET /e/{endpoint_id}/metrics"


def test_requests_since_the_last_reading_are_activity(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        endpoint = fleet.deploy("chat-gpu")
        # TGI's exporter lists tgi_request_count once a request incremented it (hubsim/README.md).
        fleet.use(endpoint)
        metrics.collect_activity()
        fleet.use(endpoint)
        clock.shift(timedelta(minutes=5))
        assert metrics.collect_activity() == 1
    endpoint.refresh_from_db()
    assert endpoint.last_activity_at == MONDAY_9AM + timedelta(minutes=5)


def test_the_first_reading_is_no_activity(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    fleet.use(endpoint)
    assert metrics.collect_activity() == 0
    assert MetricsReading.objects.get(endpoint=endpoint).request_count == 1
    assert Endpoint.objects.get(pk=endpoint.pk).last_activity_at is None


def test_endpoints_that_scale_to_zero_on_their_own_are_not_read(fleet) -> None:
    fleet.deploy("sleepy-gpu", min_replica=0, scale_to_zero_timeout=15)
    metrics.collect_activity()
    assert METRICS_ROUTE not in fleet.hubsim.control.request_counts()["by_route"]


def test_a_metrics_route_that_fails_is_noted_and_is_no_activity(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    metrics.collect_activity()
    fleet.use(endpoint)
    fleet.hubsim.control.inject_fault("GET", "/e/*/metrics", 503)
    assert metrics.collect_activity() == 0
    assert MetricsReading.objects.get(endpoint=endpoint).error == "HTTP 503"
