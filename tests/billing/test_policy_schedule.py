"""Off-hours schedule against the live hubsim: Mon-Fri, pause at 19:00 and resume at 08:00, Paris time.

In March 2030 Paris is one hour ahead of UTC; 2030-03-04 is a Monday.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from billing import enforcement
from billing.models import Exclusion, Notification, Policy, PolicyKind
from endpoints_app.models import Namespace, Operation
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from tests.billing.fixtures import Fleet, wait_for_operations
from tests.waiting import wait_until

PARIS = ZoneInfo("Europe/Paris")
MONDAY_5PM = datetime(2030, 3, 4, 17, 0, tzinfo=PARIS)


def nights_policy() -> Policy:
    policy = Policy.objects.create(
        name="Nights",
        kind=PolicyKind.OFF_HOURS,
        pause_at=time(19, 0),
        resume_at=time(8, 0),
        weekdays=[0, 1, 2, 3, 4],
        time_zone="Europe/Paris",
    )
    policy.namespaces.add(Namespace.objects.get(name="demo-org"))
    return policy


def deploy_three(fleet: Fleet) -> tuple:
    """One in scope, one in scope but kept running, one in another namespace."""
    in_scope = fleet.deploy("org-gpu", namespace="demo-org")
    kept = fleet.deploy("org-kept", namespace="demo-org")
    Exclusion.objects.create(endpoint=kept, reason="Training run", expires_at=MONDAY_5PM + timedelta(days=7))
    elsewhere = fleet.deploy("own-gpu", namespace="demo")
    return in_scope, kept, elsewhere


def enforce_at(clock: time_machine.Traveller, moment: datetime) -> list[Operation]:
    """Moves the console's clock to `moment`, enforces, waits for the worker: every operation so far."""
    clock.move_to(moment)
    enforcement.enforce_all()
    return wait_for_operations()


def test_off_hours_pause_in_the_evening_and_resume_in_the_morning(fleet) -> None:
    with time_machine.travel(MONDAY_5PM, tick=True) as clock:
        in_scope, kept, elsewhere = deploy_three(fleet)
        nights_policy()
        assert enforce_at(clock, MONDAY_5PM.replace(hour=18, minute=59)) == []

        evening = enforce_at(clock, MONDAY_5PM.replace(hour=19, minute=1))
        states_at_night = [fleet.remote_state(e) for e in (in_scope, kept, elsewhere)]
        assert len(enforce_at(clock, datetime(2030, 3, 5, 7, 59, tzinfo=PARIS))) == 1

        morning = enforce_at(clock, datetime(2030, 3, 5, 8, 1, tzinfo=PARIS))

    assert states_at_night == ["paused", "running", "running"]
    assert [(op.kind, op.endpoint_name, op.state) for op in morning] == [
        ("pause", "org-gpu", "succeeded"),
        ("resume", "org-gpu", "succeeded"),
    ]
    assert evening[0].automatic_reason == "Nights: off hours since Mon 04 Mar 19:00 (Europe/Paris)"
    assert fleet.remote_state(in_scope) == "running"


def test_an_endpoint_resumed_by_hand_at_night_stays_up(fleet) -> None:
    with time_machine.travel(MONDAY_5PM, tick=True) as clock:
        endpoint = fleet.deploy("org-gpu", namespace="demo-org")
        nights_policy()
        enforce_at(clock, MONDAY_5PM.replace(hour=19, minute=1))
        clock.move_to(MONDAY_5PM.replace(hour=21))
        endpoint.refresh_from_db()
        operations.resume_endpoint(Actor(fleet.team.operator), endpoint)
        wait_for_operations()

        late = enforce_at(clock, MONDAY_5PM.replace(hour=21, minute=5))
        morning = enforce_at(clock, datetime(2030, 3, 5, 8, 1, tzinfo=PARIS))

    assert [(op.kind, op.actor_label) for op in late] == [
        ("pause", "automatic: Nights: off hours since Mon 04 Mar 19:00 (Europe/Paris)"),
        ("resume", "otto"),
    ]
    assert len(morning) == 2  # nothing to resume: it never went back to sleep
    assert fleet.remote_state(endpoint) == "running"


def test_the_evening_pause_is_notified(fleet) -> None:
    with time_machine.travel(MONDAY_5PM, tick=True) as clock:
        fleet.deploy("org-gpu", namespace="demo-org")
        nights_policy()
        enforce_at(clock, MONDAY_5PM.replace(hour=19, minute=1))
        notification = wait_until(Notification.objects.first, what="the notification")
    assert notification.title == "Paused demo-org/org-gpu"
