"""The Overview's billing section: forgotten endpoints with one-click pause, and recommendations."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Exclusion, Policy, PolicyKind
from dashboard import banners
from endpoints_app.models import Endpoint, Namespace, Operation, Tag
from endpoints_app.roles import Role
from tests.billing.factories import make_endpoint, record_timeline
from tests.fixtures.team import make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 4, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def forgotten():
    """Running since 08:00 at $2.50/h, last used at 09:30: unused for 8 h 30 min, $25.00 so far."""
    endpoint = make_endpoint("demo", "sdxl-art", "2.50", "running", replicas=1)
    record_timeline(endpoint, (NOW - timedelta(hours=10), "running", 1))
    endpoint.last_activity_at = NOW - timedelta(hours=8, minutes=30)
    endpoint.save()
    return endpoint


def overview_as(role: str) -> str:
    client = Client()
    client.force_login(User.objects.filter(username=role).first() or make_user(role, role))
    return client.get(reverse("overview")).content.decode()


def test_a_forgotten_endpoint_is_listed_with_what_it_cost_so_far(forgotten) -> None:
    page = overview_as(Role.VIEWER)
    assert "<strong>demo/sdxl-art</strong>" in page
    assert (
        "Unused for 8\xa0hours, 30\xa0minutes; $25.00 since it started 10\xa0hours ago, $2.50/h now." in page
    )


def test_operators_get_a_pause_button_viewers_do_not(forgotten) -> None:
    pause_url = reverse("billing:pause_forgotten", args=[forgotten.pk])
    assert pause_url in overview_as(Role.OPERATOR)
    assert pause_url not in overview_as(Role.VIEWER)


def test_an_endpoint_used_recently_is_not_forgotten(forgotten) -> None:
    forgotten.last_activity_at = NOW - timedelta(hours=1)
    forgotten.save()
    assert "Every running endpoint was used recently." in overview_as(Role.VIEWER)


def test_the_pause_button_queues_a_pause_by_the_operator(forgotten) -> None:
    client = Client()
    client.force_login(make_user("otto", Role.OPERATOR))
    response = client.post(reverse("billing:pause_forgotten", args=[forgotten.pk]))
    assert response["Location"] == reverse("overview")
    assert list(Operation.objects.values_list("kind", "endpoint_name", "requested_by__username")) == [
        ("pause", "sdxl-art", "otto")
    ]


def test_always_on_replicas_are_a_recommendation_with_their_daily_cost() -> None:
    make_endpoint("demo", "always-on", "1.00", "running", replicas=2, min_replica=2)
    assert "Keeps 2 replica(s) up around the clock." in overview_as(Role.VIEWER)
    assert "Up to $48.00 a day." in overview_as(Role.VIEWER)


def test_an_endpoint_no_pausing_policy_covers_is_a_recommendation(forgotten) -> None:
    assert "No idle, off-hours or max-runtime policy covers it" in overview_as(Role.VIEWER)
    Policy.objects.create(name="Idle", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30)
    assert "No idle, off-hours or max-runtime policy covers it" not in overview_as(Role.VIEWER)


def running_endpoints(first: int, last: int) -> None:
    """Endpoints gpu-<first>..gpu-<last - 1> in two namespaces, running for 10 h: a third unused since
    (forgotten), a third with always-on replicas, a quarter tagged prod."""
    prod = Tag.objects.get_or_create(name="prod")[0]
    for index in range(first, last):
        namespace = ("demo", "demo-org")[index % 2]
        always_on = 1 if index % 3 == 1 else 0
        endpoint = make_endpoint(
            namespace, f"gpu-{index:03d}", "1.00", "running", replicas=1, min_replica=always_on
        )
        started, ready = NOW - timedelta(hours=11), NOW - timedelta(hours=10)
        record_timeline(endpoint, (started, "initializing", 1), (ready, "running", 1))
        if index % 3:
            endpoint.last_activity_at = NOW - timedelta(minutes=index)
            endpoint.save()
        if index % 4 == 0:
            endpoint.tags.add(prod)


def policies_and_a_mark() -> None:
    """An idle policy on one namespace, a runtime policy on a tag, a 'keep running' mark."""
    idle = Policy.objects.create(name="Idle", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30)
    idle.namespaces.add(Namespace.objects.get(name="demo"))
    runtime = Policy.objects.create(name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=12)
    runtime.tags.add(Tag.objects.get(name="prod"))
    Exclusion.objects.create(
        endpoint=Endpoint.objects.get(name="gpu-001"), reason="Demo", expires_at=NOW + timedelta(days=1)
    )


def overview_queries(client: Client) -> int:
    banners.forget()  # the banners' answers are kept a few seconds: each page asks again here
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("overview")).content.decode()
    assert "<strong>demo/gpu-000</strong>" in page  # forgotten
    return len(queries)


def test_the_overview_costs_the_same_queries_with_5_or_50_running_endpoints() -> None:
    client = Client()
    client.force_login(make_user("otto", Role.OPERATOR))
    running_endpoints(0, 5)
    policies_and_a_mark()
    with_5 = overview_queries(client)
    running_endpoints(5, 50)
    assert overview_queries(client) == with_5


def forgotten_at_prices(prices: list[str]) -> None:
    """Running since 08:00, unused since 09:30, one endpoint per hourly price."""
    for index, price in enumerate(prices):
        endpoint = make_endpoint("demo", f"idle-{index:02d}", price, "running", replicas=1)
        record_timeline(endpoint, (NOW - timedelta(hours=10), "running", 1))
        endpoint.last_activity_at = NOW - timedelta(hours=8, minutes=30)
        endpoint.save()


def test_the_overview_shows_the_ten_costliest_forgotten_and_the_savings_page_all() -> None:
    forgotten_at_prices([f"{1 + index}.00" for index in range(12)])  # idle-11 costs the most per hour
    overview = overview_as(Role.VIEWER)
    shown = [f"demo/idle-{index:02d}" for index in range(11, 1, -1)]
    positions = [overview.index(f"<strong>{name}</strong>") for name in shown]
    assert positions == sorted(positions)  # the costliest per hour first
    assert "<strong>demo/idle-01</strong>" not in overview and "<strong>demo/idle-00</strong>" not in overview
    assert "2 more, costing less per hour: see them all" in overview
    savings = Client()
    savings.force_login(User.objects.get(username=Role.VIEWER))
    page = savings.get(reverse("billing:savings")).content.decode()
    assert all(f"<strong>demo/idle-{index:02d}</strong>" in page for index in range(12))
    assert "see them all" not in page


def test_a_pause_from_the_savings_page_returns_to_it_and_never_to_another_site(forgotten) -> None:
    client = Client()
    client.force_login(make_user("otto", Role.OPERATOR))
    pause_url = reverse("billing:pause_forgotten", args=[forgotten.pk])
    assert (
        f'name="next" value="{reverse("billing:savings")}"'
        in client.get(reverse("billing:savings")).content.decode()
    )
    response = client.post(pause_url, {"next": reverse("billing:savings")})
    assert response["Location"] == reverse("billing:savings")
    Operation.objects.all().delete()
    assert client.post(pause_url, {"next": "https://elsewhere.example/"})["Location"] == reverse("overview")
