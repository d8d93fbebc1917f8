"""Every automatic action ends with a notification: in the app, by email to the admins, to the webhook."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User

from billing import delivery, enforcement, metrics, notifications
from billing.models import Notification, Policy, PolicyKind
from endpoints_app.roles import Role
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from tests.billing.factories import make_endpoint
from tests.billing.fixtures import Fleet, wait_for_operations
from tests.fixtures.live_server import free_port
from tests.fixtures.team import make_user
from tests.reliability.workers import enqueue_through
from tests.waiting import wait_until

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def let_idle_policy_pause(fleet: Fleet, name: str = "idle-gpu") -> None:
    """An a10g endpoint ($1.00/h) unused for 31 minutes under a 30-minute idle policy."""
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        fleet.deploy(name)
        Policy.objects.create(name="Idle GPUs", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30)
        clock.shift(timedelta(minutes=31))
        metrics.collect_activity()  # as the beat does before enforcing
        enforcement.enforce_all()
        wait_for_operations()


def test_an_automatic_pause_shows_in_the_app(fleet) -> None:
    let_idle_policy_pause(fleet)
    notification = wait_until(Notification.objects.first, what="the notification")
    assert (notification.title, notification.body, notification.policy.name) == (
        "Paused demo/idle-gpu",
        "Idle GPUs: no activity for 31 min (limit 30 min; read from open-metrics). Saves $1.00 per hour.",
        "Idle GPUs",
    )


def test_an_automatic_pause_is_emailed_to_the_admins(fleet, mailoutbox) -> None:
    let_idle_policy_pause(fleet)
    wait_until(lambda: mailoutbox, what="the email")
    assert [(mail.subject, mail.to) for mail in mailoutbox] == [
        ("[Endpoints console] Paused demo/idle-gpu", ["ada@example.org"])
    ]


def test_an_automatic_pause_is_posted_to_the_webhook(fleet, webhook) -> None:
    let_idle_policy_pause(fleet)
    wait_until(lambda: webhook.received, what="the webhook")
    assert webhook.received[0]["text"] == (
        "Paused demo/idle-gpu\nIdle GPUs: no activity for 31 min (limit 30 min; read from open-metrics). "
        "Saves $1.00 per hour."
    )
    assert (webhook.received[0]["endpoint"], webhook.received[0]["kind"]) == (
        "demo/idle-gpu",
        "action_succeeded",
    )


def test_a_webhook_that_fails_is_posted_again_until_it_takes_the_notification(fleet, webhook) -> None:
    """Its own task, retried with backoff: the webhook answers 503 twice, then takes it. On the real clock:
    a retry's delay counted while a test travels in time would make the worker wait until that date."""
    webhook.failing = 2
    notifications.notify(kind=Notification.Kind.BUDGET_ALERT, title="Budget: 50% reached")
    wait_until(lambda: webhook.received, timeout=20, what="the third post")
    assert (webhook.refused, len(webhook.received)) == (2, 1)
    assert webhook.received[0]["title"] == "Budget: 50% reached"
    assert wait_until(lambda: Notification.objects.get().webhook_result == "HTTP 200", what="the result")


def test_an_automatic_pause_that_fails_is_announced_as_an_error(fleet) -> None:
    fleet.hubsim.control.inject_fault("POST", "/v2/endpoint/demo/idle-gpu/pause", 503, times=20)
    let_idle_policy_pause(fleet)
    notification = wait_until(Notification.objects.first, what="the notification")
    assert (notification.level, notification.title) == ("error", "Could not pause demo/idle-gpu")
    assert "Hugging Face failed to pause demo/idle-gpu (HTTP 503)" in notification.body


@pytest.mark.django_db(transaction=True)
def test_an_automatic_pause_asked_while_the_task_queue_is_down_waits_for_it_unannounced() -> None:
    """Nothing failed: the pause is recorded and queued until Redis is back (reconcile sends it then)."""
    endpoint = make_endpoint("demo", "idle-gpu", "1.00", "running", replicas=1)
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with enqueue_through(nowhere):
        operation = operations.pause_endpoint(Actor.automatic("Idle GPUs: no activity for 31 min"), endpoint)
    operation.refresh_from_db()
    assert (operation.state, operation.queue_down_at is not None) == ("queued", True)
    assert not Notification.objects.exists()


def test_what_people_do_is_not_notified(fleet) -> None:
    endpoint = fleet.deploy("manual-gpu")
    operations.pause_endpoint(Actor(fleet.team.operator), endpoint)
    assert wait_for_operations()[0].state == "succeeded"
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_emails_go_to_admins_and_superusers_with_an_address() -> None:
    make_user("ada", Role.ADMIN)
    make_user("otto", Role.OPERATOR)
    User.objects.create_superuser("root", "root@example.org", "pw")
    User.objects.create_superuser("nomail", "", "pw")
    assert delivery.admin_emails() == ["ada@example.org", "root@example.org"]


@pytest.mark.django_db
def test_a_webhook_that_does_not_answer_is_recorded_not_raised(settings) -> None:
    settings.BILLING_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
    notification = Notification.objects.create(
        kind=Notification.Kind.BUDGET_ALERT, title="Budget: 50% reached"
    )
    assert not delivery.post_to_webhook(notification)  # the task tries again later
    notification.refresh_from_db()
    assert notification.webhook_result.startswith("failed: ")
