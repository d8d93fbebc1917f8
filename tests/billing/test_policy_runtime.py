"""Max runtime against the live hubsim, enforced by the management command."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine
from django.core.management import call_command

from billing import enforcement
from billing.models import Exclusion, Notification, Policy, PolicyKind
from endpoints_app.models import Operation, Tag
from tests.billing.fixtures import wait_for_operations
from tests.waiting import wait_until

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def long_runs_policy() -> Policy:
    policy = Policy.objects.create(
        name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=Decimal(2)
    )
    policy.tags.add(Tag.objects.get(name="experiment"))
    return policy


def test_max_runtime_pauses_tagged_endpoints_after_two_hours(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        tagged = fleet.deploy("exp-gpu", tags=("experiment",))
        kept = fleet.deploy("exp-kept", tags=("experiment",))
        Exclusion.objects.create(endpoint=kept, reason="Benchmark", expires_at=MONDAY_9AM + timedelta(days=1))
        untagged = fleet.deploy("prod-gpu", tags=("production",))
        long_runs_policy()
        clock.shift(timedelta(hours=1, minutes=59))
        call_command("enforce_policies")
        assert not Operation.objects.exists()

        clock.shift(timedelta(minutes=2))
        call_command("enforce_policies")
        done = wait_for_operations()

    assert [(op.kind, op.endpoint_name, op.automatic_reason) for op in done] == [
        ("pause", "exp-gpu", "Long runs: running for 2 h 01 min (limit 2 h 00 min)")
    ]
    assert [fleet.remote_state(e) for e in (tagged, kept, untagged)] == ["paused", "running", "running"]


def test_the_max_runtime_pause_is_notified(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        fleet.deploy("exp-gpu", tags=("experiment",))
        long_runs_policy()
        clock.shift(timedelta(hours=2, minutes=1))
        call_command("enforce_policies")
        notification = wait_until(Notification.objects.first, what="the notification")
    assert notification.title == "Paused demo/exp-gpu"


def test_a_policy_does_not_repeat_a_failed_action_every_tick(fleet, hubsim) -> None:
    """The pause is refused (a 403, say): the next ticks leave the endpoint alone instead of failing again."""
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        fleet.deploy("exp-gpu", tags=("experiment",))
        long_runs_policy()
        clock.shift(timedelta(hours=2, minutes=1))
        hubsim.control.inject_fault("POST", "/v2/endpoint/demo/exp-gpu/pause", 500, times=100)
        call_command("enforce_policies")
        failed = wait_for_operations()
        clock.shift(timedelta(minutes=1))
        call_command("enforce_policies")
        clock.shift(timedelta(minutes=1))
        call_command("enforce_policies")
        (plan,) = enforcement.dry_run()
    assert [operation.state for operation in failed] == ["failed"]
    assert Operation.objects.count() == 1
    assert ([e.name for e in plan.failed_lately], plan.in_progress, plan.actions) == (["exp-gpu"], [], [])
