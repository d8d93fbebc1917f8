"""Dry runs against the live hubsim: every kind of policy says what it would do, and nothing happens.

Monday 2030-03-04, deployments at 17:00 Paris time, the dry run at 20:00 (3 hours later):
idle-gpu (demo, $1.00/h), org-a100 (demo-org, $2.50/h), kept-gpu (demo, $0.50/h, marked keep running).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from billing import enforcement, metrics
from billing.models import (
    BudgetAlert,
    Exclusion,
    Notification,
    Policy,
    PolicyAction,
    PolicyKind,
)
from endpoints_app.models import Namespace, Operation

PARIS = ZoneInfo("Europe/Paris")
DEPLOYED = datetime(2030, 3, 4, 17, 0, tzinfo=PARIS)
EVENING = datetime(2030, 3, 4, 20, 0, tzinfo=PARIS)


@pytest.fixture
def every_policy_would_act(fleet) -> None:
    with time_machine.travel(DEPLOYED, tick=False):
        fleet.deploy("idle-gpu", hardware="a10g")
        fleet.deploy("org-a100", namespace="demo-org", hardware="a100")
        kept = fleet.deploy("kept-gpu", hardware="t4")
        Exclusion.objects.create(endpoint=kept, reason="Demo", expires_at=DEPLOYED + timedelta(days=1))
        metrics.collect_activity()  # the beat's last reading: where each endpoint's activity comes from
    org = Namespace.objects.get(name="demo-org")
    Policy.objects.create(name="Idle", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30)
    Policy.objects.create(name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=Decimal(2))
    nights = Policy.objects.create(
        name="Nights",
        kind=PolicyKind.OFF_HOURS,
        pause_at=time(19),
        resume_at=time(8),
        weekdays=[0, 1, 2, 3, 4],
        time_zone="Europe/Paris",
    )
    budget = Policy.objects.create(
        name="Org budget",
        kind=PolicyKind.BUDGET,
        monthly_budget=Decimal(5),
        alert_thresholds=[50, 100],
        pause_at_limit=True,
    )
    nights.namespaces.add(org)
    budget.namespaces.add(org)


def test_a_dry_run_lists_what_each_policy_would_do_and_save(every_policy_would_act) -> None:
    with time_machine.travel(EVENING, tick=False):
        plans = {plan.policy.name: plan for plan in enforcement.dry_run()}
    assert {name: sorted(a.endpoint.name for a in plan.actions) for name, plan in plans.items()} == {
        "Idle": ["idle-gpu", "org-a100"],
        "Long runs": ["idle-gpu", "org-a100"],
        "Nights": ["org-a100"],
        "Org budget": ["org-a100"],
    }
    assert {name: plan.saving_per_day.quantize(Decimal("0.01")) for name, plan in plans.items()} == {
        "Idle": Decimal("84.00"),  # ($1.00 + $2.50) x 24 h
        "Long runs": Decimal("84.00"),
        "Nights": Decimal("40.36"),  # $2.50 x 113 off hours a week / 7
        "Org budget": Decimal("60.00"),
    }
    assert [kept.endpoint.name for kept in plans["Idle"].kept] == ["kept-gpu"]
    assert plans["Org budget"].budget.new_thresholds == (50, 100)


def test_dry_runs_change_nothing(every_policy_would_act, fleet, mailoutbox, webhook) -> None:
    output = StringIO()
    with time_machine.travel(EVENING, tick=False):
        enforcement.dry_run()
        call_command("enforce_policies", "--dry-run", stdout=output)

    assert (
        "would pause demo/idle-gpu: no activity for 3 h 00 min (limit 30 min; read from open-metrics)"
        in output.getvalue()
    )
    for model in (Operation, PolicyAction, BudgetAlert, Notification):
        assert not model.objects.exists(), model.__name__
    assert (mailoutbox, webhook.received) == ([], [])
    assert fleet.remote_states() == {
        "demo/idle-gpu": "running",
        "demo/kept-gpu": "running",
        "demo-org/org-a100": "running",
    }
