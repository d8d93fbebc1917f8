"""Two enforcement runs (beat, and someone running `enforce_policies`) that see a budget threshold crossed at
the same moment: the unique constraint on (policy, month, threshold) lets one of them alert."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from billing import enforcement
from billing.models import BudgetAlert, Notification, Policy, PolicyKind
from endpoints_app.models import Namespace
from tests.billing.factories import make_endpoint, record_timeline
from tests.concurrency.at_once import at_once, meet

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]
MONDAY_9AM = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def test_two_runs_seeing_a_threshold_crossed_at_once_alert_once(redis_client, monkeypatch) -> None:
    spender = make_endpoint("demo-org", "org-a100", "2.50", "running", replicas=1)
    record_timeline(spender, (MONDAY_9AM, "running", 1))
    policy = Policy.objects.create(
        name="Team budget", kind=PolicyKind.BUDGET, monthly_budget=Decimal(10), alert_thresholds=[50, 80]
    )
    policy.namespaces.add(Namespace.objects.get(name="demo-org"))
    # Both runs have planned (and seen 50% newly crossed) before either records its alert.
    both_planned = threading.Barrier(2)
    plan_for = enforcement.plan_for

    def plan_then_meet(policy: Policy, now: datetime):
        plan = plan_for(policy, now)
        meet(both_planned)
        return plan

    monkeypatch.setattr(enforcement, "plan_for", plan_then_meet)

    with time_machine.travel(MONDAY_9AM + timedelta(hours=2, minutes=1), tick=False):  # $5.04 of $10
        runs = at_once(enforcement.enforce_all, enforcement.enforce_all)

    assert [[result.plan.budget.new_thresholds for result in run] for run in runs] == [[(50,)], [(50,)]]
    assert [threshold for run in runs for result in run for threshold in result.alerted] == [50]
    assert list(BudgetAlert.objects.values_list("threshold", flat=True)) == [50]
    assert Notification.objects.filter(kind=Notification.Kind.BUDGET_ALERT).count() == 1
