"""The daily spend chart of the Costs page, as geometry for a server-rendered SVG (dashboard/charts.py)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billing.costs import ZERO, daily_spend
from billing.periods import Period, last_days
from dashboard.charts import Bar, Label, nice_ceiling
from endpoints_app.models import Endpoint

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 28
MAX_SERIES = 8  # the most expensive endpoints; the rest are drawn together as "Other endpoints"
RECENT_DAYS = 30
TICKS = 4
DAY_LABEL_EVERY = 5
BAR_GAP = 0.2  # share of a day's slot left empty


@dataclass(frozen=True)
class Series:
    index: int
    name: str
    total: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    series: list[Series]
    bars: list[Bar]
    ticks: list[Label]  # y axis: amounts, with a grid line at each
    days: list[Label]  # x axis
    total: Decimal

    @property
    def is_empty(self) -> bool:
        return not self.bars


def recent_spend_chart(now: datetime, day_count: int = RECENT_DAYS) -> Chart:
    """Daily spend per endpoint (deleted ones too) over the last `day_count` days, today included."""
    days = last_days(now, day_count)
    endpoints = list(Endpoint.objects.select_related("namespace"))
    names = {endpoint.pk: endpoint.full_name for endpoint in endpoints}
    return daily_spend_chart(names, daily_spend(endpoints, days, now), days)


def daily_spend_chart(
    names: Mapping[int, str], daily: Mapping[int, Sequence[Decimal]], days: Sequence[Period]
) -> Chart:
    """Stacked bars of each day's spend; `daily` maps endpoint ids to one amount per day."""
    series, rows = _series(names, daily, len(days))
    day_totals = [sum((row[day] for row in rows), ZERO) for day in range(len(days))]
    top = nice_ceiling(max(day_totals, default=ZERO))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(days), 1)
    bars = []
    for day, period in enumerate(days):
        baseline = float(HEIGHT - BOTTOM)
        for entry, row in zip(series, rows, strict=True):
            if not row[day]:
                continue
            height = float(row[day] / top) * plot_height
            baseline -= height
            bars.append(
                Bar(
                    series=entry.index,
                    x=round(LEFT + day * slot + slot * BAR_GAP / 2, 2),
                    y=round(baseline, 2),
                    width=round(slot * (1 - BAR_GAP), 2),
                    height=round(height, 2),
                    title=f"{entry.name}, {period.first_day:%b %d}: ${row[day]:,.2f}",
                )
            )
    ticks = [
        Label(LEFT - 6, round(HEIGHT - BOTTOM - plot_height * step / TICKS, 2), _money(top * step / TICKS))
        for step in range(TICKS + 1)
    ]
    labels = [
        Label(round(LEFT + (day + 0.5) * slot, 2), HEIGHT - 8, f"{period.first_day:%b %d}")
        for day, period in enumerate(days)
        if (len(days) - 1 - day) % DAY_LABEL_EVERY == 0
    ]
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, series, bars, ticks, labels, sum(day_totals, ZERO))


def _series(
    names: Mapping[int, str], daily: Mapping[int, Sequence[Decimal]], day_count: int
) -> tuple[list[Series], list[list[Decimal]]]:
    """The spending endpoints, most expensive first, the tail merged into one series."""
    spending = sorted(
        ((sum(amounts, ZERO), names[pk], list(amounts)) for pk, amounts in daily.items() if any(amounts)),
        key=lambda item: (-item[0], item[1]),
    )
    if len(spending) > MAX_SERIES:
        head, tail = spending[: MAX_SERIES - 1], spending[MAX_SERIES - 1 :]
        merged = [sum((item[2][day] for item in tail), ZERO) for day in range(day_count)]
        spending = [*head, (sum(merged, ZERO), "Other endpoints", merged)]
    series = [Series(index, name, total) for index, (total, name, _) in enumerate(spending)]
    return series, [amounts for _, _, amounts in spending]


def _money(amount: Decimal) -> str:
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"
