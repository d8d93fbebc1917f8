"""Monthly budget against the live hubsim: alerts once per threshold, pause at 100%.

The budget is $10 for the namespace demo-org; its endpoint runs on an a100 at $2.50 an hour, so it spends
$5 (50%) in 2 hours, $8 (80%) in 3 h 12 min and $10 (100%) in 4 hours.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine

from billing import enforcement
from billing.models import BudgetAlert, Exclusion, Notification, Policy, PolicyKind
from endpoints_app.models import Namespace
from tests.billing.fixtures import wait_for_operations
from tests.waiting import wait_until

MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def budget_policy(*, pause: bool) -> Policy:
    policy = Policy.objects.create(
        name="Team budget",
        kind=PolicyKind.BUDGET,
        monthly_budget=Decimal(10),
        alert_thresholds=[50, 80, 100],
        pause_at_limit=pause,
    )
    policy.namespaces.add(Namespace.objects.get(name="demo-org"))
    return policy


def test_each_threshold_is_alerted_once_a_month(fleet, mailoutbox) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:  # alerts need no worker: exact figures
        fleet.deploy("org-a100", namespace="demo-org", hardware="a100")
        budget_policy(pause=False)
        clock.shift(timedelta(hours=2, minutes=1))
        enforcement.enforce_all()
        enforcement.enforce_all()
        clock.shift(timedelta(hours=1, minutes=15))
        enforcement.enforce_all()

    assert list(BudgetAlert.objects.order_by("threshold").values_list("threshold", flat=True)) == [50, 80]
    wait_until(lambda: len(mailoutbox) >= 2, what="the emails, sent by the worker")
    assert sorted(mail.subject for mail in mailoutbox) == [  # two deliveries, in either order
        "[Endpoints console] Budget Team budget: 50% reached",
        "[Endpoints console] Budget Team budget: 80% reached",
    ]


def test_a_budget_alert_reaches_the_webhook_with_the_figures(fleet, webhook) -> None:
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        fleet.deploy("org-a100", namespace="demo-org", hardware="a100")
        budget_policy(pause=False)
        clock.shift(timedelta(hours=2, minutes=24))  # $6.00
        enforcement.enforce_all()
    wait_until(lambda: webhook.received, what="the post, sent by the worker")
    assert webhook.received[0]["text"] == (
        "Budget Team budget: 50% reached\nSpent $6.00 of $10.00 in March 2030 (60%). "
        "At the current burn rate the month ends at $1,657.50."  # + 660.6 h left in March at $2.50
    )


def test_at_100_percent_the_scope_is_paused_except_what_is_kept_running(fleet) -> None:
    with time_machine.travel(MONDAY_9AM, tick=True) as clock:
        spender = fleet.deploy("org-a100", namespace="demo-org", hardware="a100")
        kept = fleet.deploy("org-kept", namespace="demo-org", hardware="t4")
        Exclusion.objects.create(
            endpoint=kept, reason="Launch day", expires_at=MONDAY_9AM + timedelta(days=1)
        )
        outside = fleet.deploy("own-gpu", namespace="demo", hardware="t4")
        budget_policy(pause=True)
        clock.shift(timedelta(hours=3, minutes=15))  # $8.13 + $1.63 = $9.76
        enforcement.enforce_all()
        assert wait_for_operations() == []

        clock.shift(timedelta(minutes=10))  # $8.54 + $1.71 = $10.25
        enforcement.enforce_all()
        done = wait_for_operations()
        alerts = Notification.objects.filter(kind=Notification.Kind.BUDGET_ALERT)
        notification = wait_until(alerts.filter(title__contains="100%").first, what="the 100% alert")

    assert [(op.kind, op.endpoint_name) for op in done] == [("pause", "org-a100")]
    assert [fleet.remote_state(e) for e in (spender, kept, outside)] == ["paused", "running", "running"]
    assert notification.body.endswith("Its endpoints are being paused.")
