"""`cost_report` and `enforce_policies --dry-run` on a known timeline."""

from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from billing.models import Policy, PolicyKind
from endpoints_app.models import Operation
from tests.billing.factories import make_endpoint, record_timeline

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 2, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def january() -> None:
    """chat-a10g ran 2 h in January ($2.00); cpu-embed runs since Jan 15 ($0.067 x 408 h = $27.336)."""
    chat = make_endpoint("acme", "chat-a10g", "1.00", "paused")
    record_timeline(
        chat,
        (datetime(2030, 1, 31, 22, tzinfo=UTC), "running", 1),
        (datetime(2030, 2, 1, 2, tzinfo=UTC), "paused", 0),
    )
    cpu = make_endpoint("research", "cpu-embed", "0.067", "running", replicas=1)
    record_timeline(cpu, (datetime(2030, 1, 15, tzinfo=UTC), "running", 1))


def run(*args: str) -> str:
    output = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(*args, stdout=output)
    return output.getvalue()


def test_cost_report_prints_each_endpoint_and_the_totals_of_a_month() -> None:
    lines = run("cost_report", "--month", "2030-01").splitlines()
    assert lines[0] == "Costs of January 2030"
    assert lines[2].split() == [
        "research",
        "cpu-embed",
        "running",
        "aws",
        "nvidia-a10g",
        "x1",
        "0.0670",
        "27.34",
        "27.34",
    ]
    assert lines[-3:] == ["acme: $2.00", "research: $27.34", "Total: $29.34"]


def test_cost_report_writes_csv_on_request() -> None:
    lines = run("cost_report", "--month", "2030-01", "--csv").splitlines()
    assert (
        lines[0]
        == "namespace,endpoint,status,hardware,price_per_hour,burn_per_hour,today,month,projected_month"
    )
    assert lines[-1] == ",total,,,,0,0.00,29.34,29.34"


def test_cost_report_explains_a_wrong_month() -> None:
    with pytest.raises(CommandError, match="'January' is not a month: write it as YYYY-MM"):
        run("cost_report", "--month", "January")


def test_enforce_policies_dry_run_prints_the_plan_and_requests_nothing() -> None:
    Policy.objects.create(name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=Decimal(24))
    output = run("enforce_policies", "--dry-run")
    assert "would pause research/cpu-embed: running for 19 d 12 h (limit 1 d 0 h) ($0.07/h)" in output
    assert "Long runs (max runtime): saves $1.61 per day" in output  # $0.067 x 24 h
    assert output.splitlines()[-1] == "Dry run: 1 policies would pause 1 endpoints, stopping $0.07 per hour."
    assert not Operation.objects.exists()
