"""Cost accounting on a hand-computed timeline: several endpoints, pauses, replica changes, a month boundary.

Prices per replica-hour: chat-a10g $1.00, big-h100 $4.50, cpu-embed $0.067, gone-a100 $2.50. "Now" is
2030-02-03 12:00 UTC; February 2030 has 28 days, so 612 hours are left in it.

chat-a10g   Jan 31 21:30 initializing, 22:00 running, Feb 1 03:30 paused,
            Feb 2 08:00 initializing, 08:15 running, 18:45 scaled to zero
            -> January 2.5 h = $2.50; February 3.5 h + 10.75 h = $14.25
big-h100    Feb 1 10:00 running 1, 12:00 three replicas, 12:45 one replica, 14:00 paused
            -> 2 h x 1 + 0.75 h x 3 + 1.25 h x 1 = 5.5 replica-hours = $24.75
cpu-embed   running since Jan 15 00:07, still running
            -> January 407 h 53 min x 0.067 = $27.328… = $27.33; February 60 h x 0.067 = $4.02;
               today 12 h = $0.804 = $0.80; projected $4.02 + 612 h x $0.067 = $45.024 = $45.02
gone-a100   Jan 31 23:00 running, deleted Feb 1 01:00 -> January $2.50, February $2.50
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from billing import costs
from billing.periods import last_days, month_period
from billing.timeline import with_timeline_marks
from endpoints_app.models import Endpoint, StatusEvent
from tests.billing.factories import make_endpoint, record_timeline

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 2, 3, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def fleet() -> dict[str, Endpoint]:
    chat = make_endpoint("acme", "chat-a10g", "1.00", "scaledToZero")
    record_timeline(
        chat,
        (at(1, 31, 21, 30), "initializing", 1),
        (at(1, 31, 22), "running", 1),
        (at(2, 1, 3, 30), "paused", 0),
        (at(2, 2, 8), "initializing", 1),
        (at(2, 2, 8, 15), "running", 1),
        (at(2, 2, 18, 45), "scaledToZero", 0),
    )
    big = make_endpoint("acme", "big-h100", "4.50", "paused")
    record_timeline(
        big,
        (at(2, 1, 10), "running", 1),
        (at(2, 1, 12), "running", 3),
        (at(2, 1, 12, 45), "running", 1),
        (at(2, 1, 14), "paused", 0),
    )
    cpu = make_endpoint("research", "cpu-embed", "0.067", "running", replicas=1)
    record_timeline(cpu, (at(1, 15, 0, 7), "running", 1))
    gone = make_endpoint("research", "gone-a100", "2.50", "running", replicas=1)
    record_timeline(gone, (at(1, 31, 23), "running", 1), (at(2, 1, 1), "gone", 0))
    Endpoint.objects.filter(pk=gone.pk).update(is_gone=True)
    return {e.name: Endpoint.objects.select_related("namespace").get(pk=e.pk) for e in (chat, big, cpu, gone)}


def month_figures(summary: costs.CostSummary) -> dict[str, Decimal]:
    return {row.endpoint.name: row.amounts.month for row in summary.rows}


def test_each_endpoint_costs_its_billed_replica_hours_this_month(fleet) -> None:
    summary = costs.month_summary(month_period(2030, 2), NOW)
    assert month_figures(summary) == {
        "big-h100": Decimal("24.75"),
        "chat-a10g": Decimal("14.25"),
        "cpu-embed": Decimal("4.02"),
        "gone-a100": Decimal("2.50"),
    }
    assert summary.totals.month == Decimal("45.52")


def test_a_past_month_counts_up_to_its_last_day_only(fleet) -> None:
    summary = costs.month_summary(month_period(2030, 1), NOW)
    assert month_figures(summary) == {
        "cpu-embed": Decimal("27.33"),
        "chat-a10g": Decimal("2.50"),
        "gone-a100": Decimal("2.50"),
        "big-h100": Decimal("0.00"),
    }
    assert (summary.totals.month, summary.totals.projected) == (Decimal("32.33"), Decimal("32.33"))
    assert (summary.totals.today, summary.totals.burn_per_hour) == (Decimal(0), Decimal(0))


def test_burn_rate_today_and_projection_come_from_what_runs_now(fleet) -> None:
    summary = costs.month_summary(month_period(2030, 2), NOW)
    cpu = next(row.amounts for row in summary.rows if row.endpoint.name == "cpu-embed")
    assert (cpu.burn_per_hour, cpu.today, cpu.projected) == (
        Decimal("0.067"),
        Decimal("0.80"),
        Decimal("45.02"),
    )
    assert summary.totals.projected == Decimal("86.52")  # 14.25 + 24.75 + 45.02 + 2.50


def test_namespaces_add_up_their_endpoints(fleet) -> None:
    summary = costs.month_summary(month_period(2030, 2), NOW)
    assert [(name, amounts.month) for name, amounts in summary.by_namespace] == [
        ("acme", Decimal("39.00")),
        ("research", Decimal("6.52")),
    ]


def test_daily_spend_splits_the_stretches_at_midnight(fleet) -> None:
    days = last_days(NOW, 3)  # Feb 1, 2 and 3 (until noon)
    daily = costs.daily_spend(list(fleet.values()), days, NOW)
    assert {name: daily[e.pk] for name, e in fleet.items()} == {
        "chat-a10g": [Decimal("3.50"), Decimal("10.75"), Decimal("0.00")],
        "big-h100": [Decimal("24.75"), Decimal("0.00"), Decimal("0.00")],
        "cpu-embed": [Decimal("1.61"), Decimal("1.61"), Decimal("0.80")],
        "gone-a100": [Decimal("2.50"), Decimal("0.00"), Decimal("0.00")],
    }


def test_month_boundaries_follow_the_console_time_zone(fleet, settings) -> None:
    settings.TIME_ZONE = "Europe/Paris"  # January ends at 23:00 UTC
    summary = costs.month_summary(month_period(2030, 1), NOW)
    assert month_figures(summary)["chat-a10g"] == Decimal("1.50")  # 21:30 -> 23:00 UTC


def billed_since(endpoint: Endpoint) -> datetime | None:
    return with_timeline_marks(Endpoint.objects.filter(pk=endpoint.pk)).get().billed_since


def test_a_run_starts_with_the_first_billed_event_after_the_last_stop(fleet) -> None:
    assert billed_since(fleet["cpu-embed"]) == at(1, 15, 0, 7)
    assert billed_since(fleet["chat-a10g"]) is None


def test_a_hardware_change_bills_each_stretch_at_its_own_price() -> None:
    """Feb 1 10:00-12:00 on an a10g at $1.00, then 12:00-13:30 on an a100 at $2.50: $2.00 + $3.75."""
    endpoint = make_endpoint("acme", "upgraded", "2.50", "paused")
    StatusEvent.objects.create(
        endpoint=endpoint, at=at(2, 1, 10), to_status="running", replicas=1, price_per_hour=Decimal("1.00")
    )
    StatusEvent.objects.create(
        endpoint=endpoint, at=at(2, 1, 12), from_status="running", to_status="updating", replicas=1,
        price_per_hour=Decimal("2.50"),
    )  # fmt: skip
    StatusEvent.objects.create(
        endpoint=endpoint, at=at(2, 1, 13, 30), from_status="updating", to_status="paused", replicas=0
    )
    assert costs.cost_between([endpoint], at(2, 1, 0), NOW) == {endpoint.pk: Decimal("5.75")}


def test_the_mirror_records_a_new_price_while_billed(fleet) -> None:
    from endpoints_app.services.mirror import reprice

    cpu = fleet["cpu-embed"]
    reprice(cpu, Decimal("0.134"), at(2, 2, 12))
    # February: 36 h at $0.067 (Feb 1 00:00 to Feb 2 12:00) + 24 h at $0.134 = $2.412 + $3.216 = $5.628.
    assert costs.cost_between([cpu], at(2, 1, 0), NOW) == {cpu.pk: Decimal("5.63")}
