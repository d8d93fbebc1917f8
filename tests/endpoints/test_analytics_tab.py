"""The Analytics tab: open-metrics collected from the live hubsim by the collector (called in-process, and
once as beat sends it, through the worker), charted from the samples with no API call on the page."""

from datetime import timedelta

import httpx2
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard import settings as deployed_settings
from dashboard.celery import app
from endpoints_app.models import MetricsHour, MetricsSample
from endpoints_app.services import metrics_collection
from tests.endpoints.mirror_rows import endpoint_row
from tests.fixtures.team import DEMO_TOKEN, Team
from tests.waiting import wait_until

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}
GOOD = {"inputs": "Hello", "parameters": {"max_new_tokens": 2}}
REFUSED = {"inputs": "Hello", "parameters": {"max_new_tokens": 0}}  # TGI answers 422


def send(url: str, body: dict, times: int) -> list[int]:
    return [
        httpx2.post(f"{url}/generate", json=body, headers=DEMO, timeout=10).status_code for _ in range(times)
    ]


def collect(team: Team) -> None:
    metrics_collection.collect_namespace(team.namespace)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_analytics_after_known_traffic_show_the_known_counts(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    collect(fleet.team)  # the baseline
    statuses = send(endpoint.url, GOOD, 5) + send(endpoint.url, REFUSED, 2)
    collect(fleet.team)
    fleet.hubsim.control.reset_requests()

    page = logged_in(fleet.team.viewer).get(
        reverse("endpoints:analytics", args=[endpoint.pk]), {"window": "1h"}
    )

    assert statuses == [200] * 5 + [422] * 2
    analytics = page.context["analytics"]
    assert (analytics.total_requests, analytics.requests["2xx"], analytics.requests["4xx"]) == (7, 5, 2)
    assert analytics.latest.replicas == 1
    assert 0 < analytics.latest_latency.latency_p50 <= analytics.latest_latency.latency_p99
    html = page.content.decode()
    assert '<span data-testid="requests-total">7</span>' in html
    assert '<span data-testid="requests-4xx">2</span>' in html
    assert html.count("<polyline") == 3  # p50, p90, p99
    assert fleet.hubsim.control.request_counts()["total"] == 0  # the page read the samples only


def test_one_open_metrics_call_per_running_endpoint_per_round(fleet) -> None:
    running = [fleet.deploy("chat-gpu"), fleet.deploy("chat-gpu-2")]
    fleet.hubsim.control.set_state("demo", "chat-gpu-2", "paused")
    fleet.sync()
    fleet.hubsim.control.reset_requests()

    collect(fleet.team)

    routes = fleet.hubsim.control.request_counts()["by_route"]
    assert {route: count for route, count in routes.items() if "open-metrics" in route} == {
        "GET /v2/endpoint/{namespace}/{name}/open-metrics": 1
    }
    assert list(MetricsSample.objects.values_list("endpoint__name", flat=True)) == [running[0].name]


def test_an_endpoint_whose_metrics_fail_is_skipped_and_the_others_collected(fleet) -> None:
    fleet.deploy("chat-gpu")
    fleet.deploy("chat-gpu-2")
    fleet.hubsim.control.inject_fault("GET", "/v2/endpoint/demo/chat-gpu-2/open-metrics", 503)
    result = metrics_collection.collect_namespace(fleet.team.namespace)
    assert (result.collected, result.failed) == (1, 1)
    assert list(MetricsSample.objects.values_list("endpoint__name", flat=True)) == ["chat-gpu"]


def test_a_counter_that_went_down_counts_from_zero(fleet) -> None:
    """A replica that restarted starts its counter again: what it counts is new traffic."""
    endpoint = fleet.deploy("chat-gpu")
    send(endpoint.url, GOOD, 3)
    collect(fleet.team)
    first = MetricsSample.objects.get()
    first.counters = {key: count + 100 for key, count in first.counters.items()}  # as if read higher
    first.save()
    send(endpoint.url, GOOD, 1)
    collect(fleet.team)
    assert MetricsSample.objects.order_by("at").last().requests_2xx == 4


def test_samples_older_than_the_retention_are_deleted(fleet, settings) -> None:
    settings.METRICS_RETENTION_DAYS = 7
    endpoint = fleet.deploy("chat-gpu")
    now = timezone.now()
    for days_ago in (10, 8, 6, 1):
        sample = MetricsSample.objects.create(endpoint=endpoint, at=now - timedelta(days=days_ago))
        metrics_collection.add_to_hour(sample)

    assert metrics_collection.prune_samples(now) == 2
    assert sorted((now - at).days for at in MetricsSample.objects.values_list("at", flat=True)) == [1, 6]
    assert sorted((now - hour).days for hour in MetricsHour.objects.values_list("hour", flat=True)) == [1, 6]


@pytest.mark.parametrize("tab", ["endpoints:analytics", "endpoints:logs"])
def test_the_tabs_need_a_login_and_the_view_permission(client_as, namespace, tab: str) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    url = reverse(tab, args=[endpoint.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client_as("").get(url).status_code == 403


def test_a_viewer_sees_the_analytics_tab_of_an_endpoint_never_collected(client_as, namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    page = client_as("viewer").get(reverse("endpoints:analytics", args=[endpoint.pk]), {"window": "30d"})
    assert page.status_code == 200
    assert "No metrics collected in this window" in page.content.decode()
    assert 'aria-current="page">Analytics</a>' in page.content.decode()


def test_an_unknown_window_shows_the_default_one(client_as, namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    page = client_as("viewer").get(reverse("endpoints:analytics", args=[endpoint.pk]), {"window": "1y"})
    assert page.status_code == 200
    assert page.context["analytics"].window.key == "24h"


def test_htmx_gets_only_the_tab(client_as, namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    headers = {"hx-request": "true", "hx-target": "endpoint-tab"}
    page = client_as("viewer").get(reverse("endpoints:analytics", args=[endpoint.pk]), headers=headers)
    html = page.content.decode()
    assert html.lstrip().startswith('<nav class="subnav endpoint-tabs"')
    assert "<h2>Analytics</h2>" in html and "page-head" not in html


def test_beat_collects_the_metrics_every_metrics_interval_through_the_worker(fleet) -> None:
    entry = deployed_settings.CELERY_BEAT_SCHEDULE["collect-metrics"]
    assert entry == {
        "task": "endpoints_app.tasks.collect_metrics",
        "schedule": deployed_settings.METRICS_INTERVAL_SECONDS,
    }
    endpoint = fleet.deploy("chat-gpu")
    app.send_task(entry["task"])
    wait_until(lambda: MetricsSample.objects.filter(endpoint=endpoint).exists(), what="a metrics sample")
