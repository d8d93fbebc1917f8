"""A policy with notice warns before it pauses, pauses only once the notice has run out, and leaves alone an
endpoint kept running from the warning's link. Against the live hubsim, with the console's clock travelling.

Idle limit 30 min, notice 15 min, the endpoint deployed (and running) at 9:00 and never used: the run at 9:16
looks ahead to 9:31, sees the limit passed then, and warns; the endpoint may be paused from 9:31 on.
"""

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from billing import tasks
from billing.models import Exclusion, Notification, PauseWarning, Policy, PolicyKind
from endpoints_app.models import Operation
from tests.billing.fixtures import wait_for_operations

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def idle_policy_with_notice() -> Policy:
    return Policy.objects.create(
        name="Idle GPUs", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30, notice_minutes=15, keep_running_hours=2
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_warned_endpoint_is_paused_only_after_the_notice(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        endpoint = fleet.deploy("idle-gpu")
        idle_policy_with_notice()
        clock.shift(timedelta(minutes=14))
        tasks.enforce_policies()  # 9:14: idle by 9:29 only, nothing to say yet
        assert not PauseWarning.objects.exists()

        clock.shift(timedelta(minutes=2))
        tasks.enforce_policies()  # 9:16: warned
        warning = PauseWarning.objects.get()
        clock.shift(timedelta(minutes=14, seconds=30))
        tasks.enforce_policies()  # 9:30:30: the policy's limit passed, the notice has not run out
        assert not Operation.objects.exists()

        clock.shift(timedelta(minutes=1))
        tasks.enforce_policies()  # 9:31:30
        done = wait_for_operations()

    assert [(op.kind, op.endpoint_name, op.state) for op in done] == [("pause", "idle-gpu", "succeeded")]
    assert done[0].created_at >= warning.pause_after == warning.warned_at + timedelta(minutes=15)
    warning.refresh_from_db()
    assert warning.outcome == PauseWarning.Outcome.PAUSED
    notice = Notification.objects.get(kind=Notification.Kind.PAUSE_WARNING)
    assert notice.title == "demo/idle-gpu will be paused in 15 min"
    assert f"http://localhost:8000/billing/warnings/{warning.pk}/keep-running/" in notice.body
    assert fleet.remote_state(endpoint) == "paused"


def test_the_keep_running_link_keeps_the_endpoint_running_past_the_policys_time(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        otto = logged_in(fleet.team.operator)  # a session of the travelled clock
        endpoint = fleet.deploy("idle-gpu")
        idle_policy_with_notice()
        clock.shift(timedelta(minutes=16))
        tasks.enforce_policies()
        warning = PauseWarning.objects.get()
        link = reverse("billing:keep_running", args=[warning.pk])

        page = otto.get(link)
        assert not Exclusion.objects.exists()  # opening the link only asks
        assert "Keep running for 2 h" in page.content.decode()
        otto.post(link)
        otto.post(link)  # a second click keeps the first mark

        clock.shift(timedelta(minutes=45))  # 10:01, idle an hour
        tasks.enforce_policies()

    exclusion = Exclusion.objects.get()
    assert exclusion.created_by == fleet.team.operator
    warning.refresh_from_db()
    assert exclusion.expires_at - warning.ended_at == timedelta(hours=2)  # from the click
    assert (warning.outcome, warning.exclusion) == (PauseWarning.Outcome.KEPT, exclusion)
    assert not Operation.objects.exists()
    assert fleet.remote_state(endpoint) == "running"


def test_the_link_is_for_those_who_may_operate_the_endpoint(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        fleet.deploy("idle-gpu")
        idle_policy_with_notice()
        clock.shift(timedelta(minutes=16))
        tasks.enforce_policies()
        link = reverse("billing:keep_running", args=[PauseWarning.objects.get().pk])
        assert Client().get(link)["Location"].startswith(reverse("login"))
        assert logged_in(fleet.team.viewer).post(link).status_code == 403
    assert not Exclusion.objects.exists()


def test_a_warning_is_withdrawn_when_the_endpoint_is_used_again(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        endpoint = fleet.deploy("idle-gpu")
        fleet.use(endpoint)
        idle_policy_with_notice()
        tasks.enforce_policies()  # reads the request count to compare with later
        clock.shift(timedelta(minutes=16))
        tasks.enforce_policies()
        clock.shift(timedelta(minutes=5))
        fleet.use(endpoint)
        tasks.enforce_policies()  # 9:21: used a moment ago
        clock.shift(timedelta(minutes=12))
        tasks.enforce_policies()  # 9:33: idle 12 min

    first, *others = PauseWarning.objects.order_by("id")
    assert first.outcome == PauseWarning.Outcome.WITHDRAWN
    assert others == []
    assert not Operation.objects.exists()


def test_the_dry_run_shows_who_would_be_warned_when(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        admin = logged_in(fleet.team.admin)
        fleet.deploy("idle-gpu")
        policy = idle_policy_with_notice()
        clock.shift(timedelta(minutes=16))
        page = admin.get(reverse("billing:policy_dry_run", args=[policy.pk])).content.decode()
        assert "would be warned now" in page
        assert "Pause running endpoints after 30 min without activity. Warns 15 min before pausing." in page
        assert "Mon 4 Mar 09:31" in page
        tasks.enforce_policies()
        page = admin.get(reverse("billing:policy_dry_run", args=[policy.pk])).content.decode()
    assert "would be warned now" not in page
    assert "Mon 4 Mar 09:16" in page


def test_the_policy_form_takes_the_notice_and_defaults_it_when_left_empty(team) -> None:
    admin = logged_in(team.admin)
    create = reverse("billing:policy_create", args=["idle_pause"])
    admin.post(
        create, {"name": "Warned", "idle_minutes": "30", "notice_minutes": "15", "keep_running_hours": "4"}
    )
    admin.post(
        create, {"name": "Plain", "idle_minutes": "30", "notice_minutes": "", "keep_running_hours": ""}
    )
    saved = Policy.objects.order_by("name").values_list("name", "notice_minutes", "keep_running_hours")
    assert list(saved) == [("Plain", 0, 2), ("Warned", 15, 4)]


def test_a_notice_longer_than_a_day_is_refused_and_kept(team) -> None:
    form = {"name": "Warned", "idle_minutes": "30", "notice_minutes": "5000"}
    page = logged_in(team.admin).post(reverse("billing:policy_create", args=["idle_pause"]), form)
    assert page.status_code == 200
    assert 'value="5000"' in page.content.decode()
    assert not Policy.objects.exists()
