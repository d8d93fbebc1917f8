"""Endpoints whose traffic the console cannot see (neither the service's open-metrics nor a request counter of
their engine can be read: only playground traffic is known), on the live hubsim: an idle policy skips them
and says why, unless it says to pause them; their page says where their activity comes from."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from billing import enforcement, metrics, tasks
from billing.models import Policy, PolicyKind
from endpoints_app.models import Endpoint
from tests.billing.fixtures import wait_for_operations

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
TOOLKIT_UNSEEN = (
    "only playground traffic can be seen (open-metrics: Hugging Face failed to read the open-metrics of "
    "demo/blind-gpu (HTTP 503)"
)


def idle_policy(*, pause_unseen_traffic: bool) -> Policy:
    return Policy.objects.create(
        name="Idle GPUs",
        kind=PolicyKind.IDLE_PAUSE,
        idle_minutes=30,
        pause_unseen_traffic=pause_unseen_traffic,
    )


def run_idle_policy(fleet, *, pause_unseen_traffic: bool) -> list:
    """blind-gpu (the toolkit: no request counter) and tgi-gpu, both unused for 31 min while the open-metrics
    route fails; the beat's task runs once. Returns the operations it led to."""
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        fleet.deploy("blind-gpu", engine="toolkit")
        fleet.deploy("tgi-gpu")
        fleet.fail_open_metrics()
        idle_policy(pause_unseen_traffic=pause_unseen_traffic)
        clock.shift(timedelta(minutes=31))
        tasks.enforce_policies()
        return wait_for_operations()


def test_an_idle_policy_skips_an_endpoint_whose_traffic_it_cannot_see(fleet) -> None:
    done = run_idle_policy(fleet, pause_unseen_traffic=False)
    assert [(op.endpoint_name, op.automatic_reason) for op in done] == [
        ("tgi-gpu", "Idle GPUs: no activity for 31 min (limit 30 min; read from its tgi_request_count)")
    ]
    assert fleet.remote_states() == {"demo/blind-gpu": "running", "demo/tgi-gpu": "paused"}


def test_an_idle_policy_that_says_so_pauses_it_too(fleet) -> None:
    done = run_idle_policy(fleet, pause_unseen_traffic=True)
    assert sorted((op.endpoint_name, op.automatic_reason) for op in done) == [
        ("blind-gpu", "Idle GPUs: no activity for 31 min (limit 30 min; read from playground traffic only)"),
        ("tgi-gpu", "Idle GPUs: no activity for 31 min (limit 30 min; read from its tgi_request_count)"),
    ]
    assert fleet.remote_states() == {"demo/blind-gpu": "paused", "demo/tgi-gpu": "paused"}


def test_the_dry_run_lists_it_as_skipped_with_why(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        fleet.deploy("blind-gpu", engine="toolkit")
        fleet.fail_open_metrics()
        metrics.collect_activity()
        policy = idle_policy(pause_unseen_traffic=False)
        clock.shift(timedelta(minutes=31))
        [plan] = enforcement.dry_run()
        client = Client()
        client.force_login(fleet.team.admin)
        page = client.get(reverse("billing:policy_dry_run", args=[policy.pk])).content.decode()
    assert plan.actions == []
    [skipped] = plan.skipped
    assert skipped.endpoint.name == "blind-gpu"
    assert skipped.reason.startswith(f"no activity for 31 min (limit 30 min), but {TOOLKIT_UNSEEN}")
    assert skipped.reason.endswith("; /metrics: Inference Toolkit counts no requests)")
    assert "Skipped: their traffic cannot be seen" in page
    assert f"demo/blind-gpu: no activity for 31 min (limit 30 min), but {TOOLKIT_UNSEEN}" in page


def test_an_endpoint_never_read_is_skipped_too(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        fleet.deploy("tgi-gpu")
        idle_policy(pause_unseen_traffic=False)
        clock.shift(timedelta(minutes=31))
        [plan] = enforcement.dry_run()
    assert [(s.endpoint.name, s.reason) for s in plan.skipped] == [
        ("tgi-gpu", "no activity for 31 min (limit 30 min), but its activity has not been read yet")
    ]


@pytest.mark.parametrize(
    ("engine", "open_metrics", "shown"),
    [
        ("vllm", True, "The service&#x27;s open-metrics (<code>http_requests</code>: 1)"),
        ("vllm", False, "The engine&#x27;s request counter (<code>vllm:request_success</code>: 1)"),
        ("toolkit", False, "Playground traffic only"),
    ],
)
def test_the_endpoint_page_says_where_its_activity_comes_from(
    fleet, engine: str, open_metrics: bool, shown: str
) -> None:
    endpoint = fleet.deploy("some-gpu", engine=engine)
    if engine != "toolkit":
        fleet.use(endpoint)
    if not open_metrics:
        fleet.fail_open_metrics()
    metrics.collect_activity()
    client = Client()
    client.force_login(fleet.team.operator)
    page = client.get(reverse("endpoints:detail", args=[endpoint.pk])).content.decode()
    assert "<dt>Activity from</dt><dd data-activity-source" in page
    assert shown in page
    unseen = "Requests from outside the console cannot be seen" in page
    assert unseen == (engine == "toolkit")


def test_the_endpoint_page_of_an_endpoint_not_read_yet_says_so(fleet) -> None:
    endpoint = fleet.deploy("some-gpu")
    client = Client()
    client.force_login(fleet.team.operator)
    page = client.get(reverse("endpoints:detail", args=[endpoint.pk])).content.decode()
    assert 'data-activity-source="unread"><span class="muted">not read yet' in page
    assert Endpoint.objects.get(pk=endpoint.pk).last_activity_at is None
