"""Activity of the endpoints on the live hubsim, from the best signal each has: the service's open-metrics,
else the engine's own request counter on /metrics, else playground traffic only. A count that went up since
the last reading of the same counter is activity."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from billing import metrics
from billing.models import ActivitySource, MetricsReading
from endpoints_app.hf import AuthenticationFailed, HfGateway, NotFound
from endpoints_app.models import Endpoint
from endpoints_app.services import metrics_collection

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
METRICS_ROUTE = "GET /e/{endpoint_id}/metrics"


def reading_of(endpoint: Endpoint) -> MetricsReading:
    return MetricsReading.objects.get(endpoint=endpoint)


def metrics_reads(fleet) -> int:
    return fleet.hubsim.control.request_counts()["by_route"].get(METRICS_ROUTE, 0)


def test_requests_since_the_last_reading_are_activity(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        endpoint = fleet.deploy("chat-gpu")
        fleet.use(endpoint)
        metrics.collect_activity()
        fleet.use(endpoint)
        clock.shift(timedelta(minutes=5))
        assert metrics.collect_activity() == 1
    endpoint.refresh_from_db()
    assert endpoint.last_activity_at == MONDAY_9AM + timedelta(minutes=5)


def test_open_metrics_count_the_requests_and_the_endpoint_is_not_contacted(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu", engine="vllm")
    for _ in range(3):
        fleet.use(endpoint)
    assert metrics.collect_activity() == 0  # the first reading is only what the next ones compare with
    reading = reading_of(endpoint)
    assert (reading.source, reading.counter, reading.request_count) == ("open_metrics", "http_requests", 3)
    assert reading.fallback_reason == ""
    assert Endpoint.objects.get(pk=endpoint.pk).last_activity_at is None
    assert metrics_reads(fleet) == 0
    assert metrics.collect_activity() == 0  # reading open-metrics is no request to the endpoint


def test_the_gateway_reads_the_open_metrics_counter_with_the_namespaces_token(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu", engine="sglang")
    fleet.use(endpoint)
    fleet.use(endpoint)
    assert fleet.gateway.endpoint_open_metrics("demo", "chat-gpu").request_count == 2
    with pytest.raises(NotFound, match="Could not read the open-metrics of demo/nowhere: not found"):
        fleet.gateway.endpoint_open_metrics("demo", "nowhere")
    with pytest.raises(AuthenticationFailed):
        HfGateway("hf_not_a_token").endpoint_open_metrics("demo", "chat-gpu")


@pytest.mark.parametrize(
    ("engine", "counter"),
    [
        ("tgi", "tgi_request_count"),
        ("vllm", "vllm:request_success"),
        ("sglang", "sglang:num_requests"),
        ("tei", "te_request_count"),
        ("llamacpp", "llamacpp:prompt_tokens"),  # llama.cpp counts tokens, not requests
    ],
)
def test_without_open_metrics_the_engines_own_counter_is_read(fleet, engine: str, counter: str) -> None:
    endpoint = fleet.deploy(f"{engine}-gpu", engine=engine)
    fleet.fail_open_metrics()
    metrics.collect_activity()
    assert metrics.collect_activity() == 0  # reading /metrics moves no request counter
    fleet.use(endpoint)
    assert metrics.collect_activity() == 1
    reading = reading_of(endpoint)
    assert (reading.source, reading.counter) == ("engine_counter", counter)
    assert reading.request_count > 0
    assert reading.fallback_reason.startswith(
        f"open-metrics: Hugging Face failed to read the open-metrics of demo/{engine}-gpu (HTTP 503)"
    )
    assert metrics_reads(fleet) == 3


def test_an_engine_without_a_request_counter_leaves_playground_traffic_only(fleet) -> None:
    endpoint = fleet.deploy("toolkit-gpu", engine="toolkit")
    fleet.fail_open_metrics()
    assert metrics.collect_activity() == 0
    reading = reading_of(endpoint)
    assert (reading.source, reading.counter, reading.request_count) == ("playground", "", None)
    assert "open-metrics: Hugging Face failed" in reading.fallback_reason
    assert reading.fallback_reason.endswith("; /metrics: Inference Toolkit counts no requests")
    assert metrics_reads(fleet) == 0


def test_a_metrics_route_that_fails_too_leaves_playground_traffic_only(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    fleet.fail_open_metrics()
    metrics.collect_activity()
    fleet.use(endpoint)
    fleet.hubsim.control.inject_fault("GET", "/e/*/metrics", 503)
    assert metrics.collect_activity() == 0
    reading = reading_of(endpoint)
    assert reading.source == ActivitySource.PLAYGROUND
    assert reading.fallback_reason.endswith("; /metrics: HTTP 503")


def test_a_change_of_signal_is_no_activity(fleet) -> None:
    """Counts of different counters cannot be compared: the new one is only what the next reading compares
    with."""
    endpoint = fleet.deploy("chat-gpu")
    fleet.use(endpoint)
    metrics.collect_activity()
    fleet.fail_open_metrics()
    assert metrics.collect_activity() == 0
    assert reading_of(endpoint).source == ActivitySource.ENGINE_COUNTER


def test_endpoints_that_scale_to_zero_on_their_own_are_read_through_open_metrics_only(fleet) -> None:
    endpoint = fleet.deploy("sleepy-gpu", min_replica=0, scale_to_zero_timeout=15)
    metrics.collect_activity()
    assert reading_of(endpoint).source == ActivitySource.OPEN_METRICS
    fleet.fail_open_metrics()
    metrics.collect_activity()
    reading = reading_of(endpoint)
    assert reading.source == ActivitySource.PLAYGROUND
    assert "/metrics: not read: it scales to zero on its own" in reading.fallback_reason
    assert metrics_reads(fleet) == 0


def test_a_private_endpoints_counter_is_read_with_the_namespaces_token(fleet) -> None:
    """Private means "you or your organization's members, with a token" (security_types.py): its URL answers
    the namespace's token; only PrivateLink keeps it out of reach."""
    endpoint = fleet.deploy("private-gpu", endpoint_type="private")
    fleet.fail_open_metrics()
    metrics.collect_activity()
    fleet.use(endpoint)
    assert metrics.collect_activity() == 1
    assert reading_of(endpoint).source == ActivitySource.ENGINE_COUNTER


def open_metrics_calls(fleet) -> int:
    routes = fleet.hubsim.control.request_counts()["by_route"]
    return routes.get("GET /v2/endpoint/{namespace}/{name}/open-metrics", 0)


def test_the_analytics_collectors_fresh_sample_is_read_without_a_second_call(fleet, settings) -> None:
    endpoint = fleet.deploy("chat-gpu")
    metrics_collection.collect_namespace(fleet.team.namespace)
    metrics.collect_activity()
    fleet.use(endpoint)
    metrics_collection.collect_namespace(fleet.team.namespace)
    fleet.hubsim.control.reset_requests()
    assert metrics.collect_activity() == 1  # the collector's sample counted the request
    assert open_metrics_calls(fleet) == 0
    assert (reading_of(endpoint).source, reading_of(endpoint).request_count) == ("open_metrics", 1)

    settings.METRICS_INTERVAL_SECONDS = 0  # the sample is too old: the reading asks the API itself
    assert metrics.collect_activity() == 0
    assert open_metrics_calls(fleet) == 1
