"""Idle pause against the live hubsim, with the console's clock travelling (hubsim serves the requests)."""

from datetime import UTC, datetime, timedelta

import time_machine

from billing import metrics, tasks
from billing.models import Exclusion, Policy, PolicyKind
from endpoints_app.models import Operation
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from tests.billing.fixtures import wait_for_operations

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def idle_policy(minutes: int = 30) -> Policy:
    return Policy.objects.create(name="Idle GPUs", kind=PolicyKind.IDLE_PAUSE, idle_minutes=minutes)


def test_idle_pause_pauses_the_unused_endpoint_once_the_limit_passes(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        used, idle, kept = fleet.deploy("used-gpu"), fleet.deploy("idle-gpu"), fleet.deploy("kept-gpu")
        Exclusion.objects.create(endpoint=kept, reason="Demo", expires_at=MONDAY_9AM + timedelta(days=4))
        idle_policy(30)
        fleet.use(used)  # TGI lists tgi_request_count from its first request on (hubsim/README.md)
        metrics.collect_activity()  # the request counts to compare with
        clock.shift(timedelta(minutes=20))
        fleet.use(used)
        clock.shift(timedelta(minutes=9))  # 29 min after deployment

        tasks.enforce_policies()
        assert not Operation.objects.exists()

        clock.shift(timedelta(minutes=2))  # 31 min: `used` was used 11 min ago
        tasks.enforce_policies()
        done = wait_for_operations()

    assert [(op.kind, op.endpoint_name, op.state) for op in done] == [("pause", "idle-gpu", "succeeded")]
    assert (
        done[0].automatic_reason == "Idle GPUs: no activity for 31 min (limit 30 min; read from open-metrics)"
    )
    assert [fleet.remote_state(e) for e in (used, idle, kept)] == ["running", "paused", "running"]


def test_an_endpoint_resumed_by_hand_gets_a_fresh_idle_allowance(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        endpoint = fleet.deploy("idle-gpu")
        idle_policy(30)
        clock.shift(timedelta(minutes=31))
        tasks.enforce_policies()
        wait_for_operations()
        clock.shift(timedelta(hours=2))
        endpoint.refresh_from_db()
        operations.resume_endpoint(Actor(fleet.team.operator), endpoint)
        wait_for_operations()
        clock.shift(timedelta(minutes=10))  # idle 2 h 10 min by its last use, 10 min since it came back

        tasks.enforce_policies()
        done = wait_for_operations()

    assert [(op.kind, op.actor_label) for op in done] == [
        ("pause", "automatic: Idle GPUs: no activity for 31 min (limit 30 min; read from open-metrics)"),
        ("resume", "otto"),
    ]
    assert fleet.remote_state(endpoint) == "running"
