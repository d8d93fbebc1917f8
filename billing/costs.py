"""Cost accounting: price per replica-hour times the billed replicas of the status timeline.

Amounts are Decimal and exact for a known timeline: time is integrated to the microsecond and each
endpoint's amount is rounded to the cent once (half up); totals add the rounded amounts, so a table adds up.
Each stretch of the timeline is billed at the price its status event recorded (the provider list's price
when it began); older events without a price use the endpoint's current one.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from billing.periods import Period, day_of, month_of
from billing.timeline import BilledStretch, billed_stretches
from endpoints_app.models import Endpoint

ZERO = Decimal(0)
CENT = Decimal("0.01")
MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)
HOURS_PER_DAY = 24


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def hours(delta: timedelta) -> Decimal:
    microseconds = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Decimal(microseconds) / MICROSECONDS_PER_HOUR


def billed_amount(
    stretches: Iterable[BilledStretch], start: datetime, end: datetime, current_price: Decimal
) -> Decimal:
    """What the stretches cost inside [start, end), exact (not rounded)."""
    total = ZERO
    for stretch in stretches:
        low, high = max(stretch.start, start), min(stretch.end, end)
        if high > low:
            price = stretch.price if stretch.price is not None else current_price
            total += hours(high - low) * stretch.replicas * price
    return total


def price_of(endpoint: Endpoint) -> Decimal:
    """The price per replica-hour; an endpoint whose hardware is not in the provider list counts as free."""
    return endpoint.price_per_hour if endpoint.price_per_hour is not None else ZERO


def running_burn(endpoint: Endpoint) -> Decimal:
    """What the endpoint costs per hour while it runs: its current burn, or when it is not billed now, the
    price of its minimum replicas (at least one)."""
    if endpoint.hourly_burn:
        return endpoint.hourly_burn
    return price_of(endpoint) * max(endpoint.min_replica, 1)


@dataclass(frozen=True)
class Amounts:
    """What an endpoint (or a group of them) costs: per hour now, today, in the month, projected."""

    burn_per_hour: Decimal = ZERO
    today: Decimal = ZERO
    month: Decimal = ZERO
    projected: Decimal = ZERO

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(
            self.burn_per_hour + other.burn_per_hour,
            self.today + other.today,
            self.month + other.month,
            self.projected + other.projected,
        )


@dataclass(frozen=True)
class EndpointCosts:
    endpoint: Endpoint
    amounts: Amounts


@dataclass(frozen=True)
class CostSummary:
    period: Period
    is_current: bool
    rows: list[EndpointCosts]
    totals: Amounts
    by_namespace: list[tuple[str, Amounts]]
    by_tags: list[tuple[str, Amounts]]


def month_summary(period: Period, now: datetime) -> CostSummary:
    """Every endpoint's costs in the month (to date when it is the current month), most expensive first.

    Gone endpoints are listed when they cost something in the month. For a past month, today and the burn
    rate are zero and the projection is the month's total.
    """
    endpoints = list(Endpoint.objects.select_related("namespace").prefetch_related("tags"))
    until = min(period.end, now)
    is_current = period.contains(now)
    stretches = (
        billed_stretches([e.pk for e in endpoints], period.start, until) if until > period.start else {}
    )
    today_start = day_of(now).start
    hours_left = hours(period.end - now) if is_current else ZERO
    rows = []
    for endpoint in endpoints:
        price, billed = price_of(endpoint), stretches.get(endpoint.pk, [])
        month_exact = billed_amount(billed, period.start, until, price)
        burn = endpoint.hourly_burn if is_current else ZERO
        amounts = Amounts(
            burn_per_hour=burn,
            today=to_cents(billed_amount(billed, today_start, now, price)) if is_current else ZERO,
            month=to_cents(month_exact),
            projected=to_cents(month_exact + burn * hours_left),
        )
        if endpoint.is_gone and amounts.month == ZERO:
            continue
        rows.append(EndpointCosts(endpoint, amounts))
    rows.sort(key=lambda row: (-row.amounts.month, row.endpoint.full_name))
    by_namespace = _grouped(rows, lambda endpoint: endpoint.namespace.name)
    return CostSummary(period, is_current, rows, _total(rows), by_namespace, _grouped(rows, tags_label))


def _total(rows: Iterable[EndpointCosts]) -> Amounts:
    return sum((row.amounts for row in rows), Amounts())


UNTAGGED = "(no tags)"


def tags_label(endpoint: Endpoint) -> str:
    """An endpoint's tags as one group: 'nlp, prod'. Each endpoint is in exactly one group, so the groups add
    up to the total; an endpoint tagged 'nlp, prod' is not counted again under 'nlp'."""
    return ", ".join(sorted(tag.name for tag in endpoint.tags.all())) or UNTAGGED


def _grouped(rows: Iterable[EndpointCosts], key: Callable[[Endpoint], str]) -> list[tuple[str, Amounts]]:
    groups: dict[str, Amounts] = {}
    for row in rows:
        name = key(row.endpoint)
        groups[name] = groups.get(name, Amounts()) + row.amounts
    return sorted(groups.items())


@dataclass(frozen=True)
class CostSoFar:
    replica_hours: Decimal
    amount: Decimal


def cost_so_far(endpoint: Endpoint, now: datetime) -> CostSoFar:
    """Everything the endpoint has cost since the console first saw it, priced stretch by stretch."""
    first = endpoint.status_events.order_by("at", "id").values_list("at", flat=True).first()
    if first is None or first >= now:
        return CostSoFar(ZERO, ZERO)
    stretches = billed_stretches([endpoint.pk], first, now)[endpoint.pk]
    replica_hours = sum(
        (hours(stretch.end - stretch.start) * stretch.replicas for stretch in stretches), ZERO
    )
    return CostSoFar(replica_hours, to_cents(billed_amount(stretches, first, now, price_of(endpoint))))


def month_to_date(endpoints: Sequence[Endpoint], now: datetime) -> dict[int, Decimal]:
    """Each endpoint's cost so far this month, to the cent."""
    return cost_between(endpoints, month_of(now).start, now)


def cost_between(endpoints: Sequence[Endpoint], start: datetime, end: datetime) -> dict[int, Decimal]:
    """Each endpoint's cost inside [start, end), to the cent."""
    return costs_since({endpoint: start for endpoint in endpoints}, end)


def costs_since(starts: Mapping[Endpoint, datetime], end: datetime) -> dict[int, Decimal]:
    """Each endpoint's cost from its own start until `end`, to the cent (two queries for all of them)."""
    if not starts:
        return {}
    stretches = billed_stretches([e.pk for e in starts], min(starts.values()), end)
    return {
        e.pk: to_cents(billed_amount(stretches[e.pk], start, end, price_of(e))) for e, start in starts.items()
    }


def daily_spend(
    endpoints: Sequence[Endpoint], days: Sequence[Period], now: datetime
) -> dict[int, list[Decimal]]:
    """Each endpoint's cost per day over consecutive `days` (today counted until now), to the cent."""
    if not days:
        return {e.pk: [] for e in endpoints}
    until = min(days[-1].end, now)
    stretches = billed_stretches([e.pk for e in endpoints], days[0].start, until)
    return {
        e.pk: [
            to_cents(billed_amount(stretches[e.pk], day.start, min(day.end, until), price_of(e)))
            for day in days
        ]
        for e in endpoints
    }
