"""The Usage page: playground requests by person, by endpoint and by day over a date range, and the endpoints'
cost in that range shared among the people who used them.

Each endpoint's cost (to the cent, as on the Costs page) is shared by its requests: a person who sent 3 of its
4 requests carries 3/4 of it, rounded down to the cent, and the cents left over go to the person who sent the
most. An endpoint nobody used from the playground stays "not used from the console". So the people, the
endpoints and the Costs page's total for the same days all add up to the same amount. Traffic that does not
go through the console (an application calling the endpoint itself) is not seen here.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from billing.costs import CENT, ZERO, cost_between
from billing.periods import day_period, local_date
from endpoints_app.models import Endpoint, UsageRecord

NOT_USED = "not used from the console"


@dataclass
class UsageRow:
    label: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = ZERO


@dataclass
class UsageReport:
    first_day: date
    last_day: date
    by_person: list[UsageRow] = field(default_factory=list)
    by_endpoint: list[UsageRow] = field(default_factory=list)
    by_day: list[UsageRow] = field(default_factory=list)
    total: UsageRow = field(default_factory=lambda: UsageRow("Total"))


def usage_report(first_day: date, last_day: date, now: datetime) -> UsageReport:
    """Usage and cost from the start of `first_day` to the end of `last_day` (or now, if sooner)."""
    start, end = _window(first_day, last_day, now)
    records = UsageRecord.objects.filter(at__gte=start, at__lt=end)
    report = UsageReport(first_day, last_day)
    if end <= start:
        return report
    endpoints = list(Endpoint.objects.select_related("namespace"))
    costs = cost_between(endpoints, start, end)
    counts = _counts(records)
    report.by_endpoint = _by_endpoint(endpoints, costs, counts)
    report.by_person = _by_person(_shares(costs, counts), counts)
    report.by_day = _by_day(records)
    report.total = _total(report.by_endpoint)
    return report


def _window(first_day: date, last_day: date, now: datetime) -> tuple[datetime, datetime]:
    """From the start of the first day to the end of the last, or now if sooner."""
    return day_period(first_day).start, min(day_period(last_day).end, now)


def _counts(records: Iterable[UsageRecord]) -> dict[tuple[int | None, str, str], dict]:
    """(endpoint id, endpoint label, person) -> requests and tokens."""
    rows = (
        records.values("endpoint_id", "endpoint_label", "user_label")
        .annotate(
            requests=Count("id"),
            input_tokens=Coalesce(Sum("input_tokens"), 0),
            output_tokens=Coalesce(Sum("output_tokens"), 0),
        )
        .order_by()
    )
    return {(row["endpoint_id"], row["endpoint_label"], row["user_label"]): row for row in rows}


def _by_endpoint(endpoints: list[Endpoint], costs: dict[int, Decimal], counts: dict) -> list[UsageRow]:
    rows: dict[str, UsageRow] = {}
    for endpoint in endpoints:
        if costs[endpoint.pk] or not endpoint.is_gone:
            rows[endpoint.full_name] = UsageRow(endpoint.full_name, cost=costs[endpoint.pk])
    for (_, label, _person), counted in counts.items():
        _add(rows.setdefault(label, UsageRow(label)), counted)
    used = [row for row in rows.values() if row.requests or row.cost]
    return sorted(used, key=lambda row: (-row.cost, -row.requests, row.label))


def _shares(costs: dict[int, Decimal], counts: dict) -> dict[str, Decimal]:
    """Each person's share of the endpoints' costs (see the module's docstring)."""
    requests: dict[int, Counter[str]] = defaultdict(Counter)
    for (endpoint_id, _, person), counted in counts.items():
        if endpoint_id is not None:
            requests[endpoint_id][person] += counted["requests"]
    shares: Counter[str] = Counter()
    for endpoint_id, cost in costs.items():
        people = requests.get(endpoint_id)
        if not people:
            shares[NOT_USED] += cost
            continue
        sent = sum(people.values())
        parts = {
            person: (cost * n / sent).quantize(CENT, rounding=ROUND_DOWN) for person, n in people.items()
        }
        parts[people.most_common(1)[0][0]] += cost - sum(parts.values())
        shares.update(parts)
    return dict(shares)


def _by_person(shares: dict[str, Decimal], counts: dict) -> list[UsageRow]:
    rows: dict[str, UsageRow] = {}
    for (_, _label, person), counted in counts.items():
        _add(rows.setdefault(person, UsageRow(person)), counted)
    for person, share in shares.items():
        rows.setdefault(person, UsageRow(person)).cost += share
    used = [row for row in rows.values() if row.requests or row.cost]
    return sorted(used, key=lambda row: (row.label == NOT_USED, -row.cost, -row.requests, row.label))


def _by_day(records: Iterable[UsageRecord]) -> list[UsageRow]:
    days: dict[date, UsageRow] = {}
    for at, input_tokens, output_tokens in records.values_list("at", "input_tokens", "output_tokens"):
        day = local_date(at)
        row = days.setdefault(day, UsageRow(f"{day:%Y-%m-%d}"))
        _add(row, _one_request(input_tokens, output_tokens))
    return [days[day] for day in sorted(days)]


def _one_request(input_tokens: int | None, output_tokens: int | None) -> dict[str, int]:
    return {"requests": 1, "input_tokens": input_tokens or 0, "output_tokens": output_tokens or 0}


def _add(row: UsageRow, counted: dict) -> None:
    row.requests += counted["requests"]
    row.input_tokens += counted["input_tokens"]
    row.output_tokens += counted["output_tokens"]


def _total(rows: Iterable[UsageRow]) -> UsageRow:
    total = UsageRow("Total")
    for row in rows:
        _add(total, vars(row))
        total.cost += row.cost
    return total


CSV_HEADER = ("day", "person", "endpoint", "kind", "requests", "input_tokens", "output_tokens")


def usage_csv_rows(first_day: date, last_day: date, now: datetime) -> list[tuple]:
    """One row per day, person, endpoint and kind of request, after a header."""
    start, end = _window(first_day, last_day, now)
    grouped: dict[tuple[date, str, str, str], UsageRow] = {}
    records = UsageRecord.objects.filter(at__gte=start, at__lt=end).order_by("at", "id")
    for record in records:
        key = (local_date(record.at), record.user_label, record.endpoint_label, record.kind)
        _add(grouped.setdefault(key, UsageRow("")), _one_request(record.input_tokens, record.output_tokens))
    rows = [
        (f"{day:%Y-%m-%d}", person, endpoint, kind, row.requests, row.input_tokens, row.output_tokens)
        for (day, person, endpoint, kind), row in sorted(grouped.items())
    ]
    return [CSV_HEADER, *rows]
