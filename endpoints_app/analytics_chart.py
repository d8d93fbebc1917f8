"""The Analytics tab's charts (requests by status class, latency quantiles, replicas), as geometry for
server-rendered SVG with the shapes of dashboard/charts.py: one bar or point per bucket of the window."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dashboard.charts import Bar, Label, nice_ceiling
from endpoints_app.services.analytics import LATENCY_FIELDS, STATUS_CLASSES, Analytics, Bucket

WIDTH, HEIGHT = 760, 180
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 28
TICKS = 4
TIME_LABELS = 6  # about this many times under the axis
BAR_GAP = 0.2  # share of a bucket's slot left empty
LATENCY_NAMES = ("p50", "p90", "p99")


@dataclass(frozen=True)
class Line:
    """One unbroken run of points (a bucket without requests breaks a latency line)."""

    series: int
    points: str  # "x,y x,y ..." for a <polyline>


@dataclass(frozen=True)
class LegendEntry:
    series: int
    name: str


@dataclass(frozen=True)
class TimeChart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    ticks: list[Label]  # value axis, with a grid line at each
    times: list[Label]  # time axis
    bars: list[Bar]
    lines: list[Line]
    legend: list[LegendEntry]

    @property
    def is_empty(self) -> bool:
        return not self.bars and not self.lines


class _Frame:
    """The plot area of a chart of the buckets, with values from 0 to `top`."""

    def __init__(self, buckets: Sequence[Bucket], top: Decimal, unit: timedelta) -> None:
        self.buckets, self.top, self.unit = buckets, top, unit
        self.plot_height = HEIGHT - TOP - BOTTOM
        self.slot = (WIDTH - LEFT - RIGHT) / max(len(buckets), 1)

    def y(self, value: float) -> float:
        return round(HEIGHT - BOTTOM - value / float(self.top) * self.plot_height, 2)

    def x(self, index: int) -> float:
        """The middle of the bucket's slot."""
        return round(LEFT + (index + 0.5) * self.slot, 2)

    def bar(self, series: int, index: int, low: float, high: float, title: str) -> Bar:
        return Bar(
            series=series,
            x=round(LEFT + index * self.slot + self.slot * BAR_GAP / 2, 2),
            y=self.y(high),
            width=round(self.slot * (1 - BAR_GAP), 2),
            height=round(self.y(low) - self.y(high), 2),
            title=title,
        )

    def chart(
        self, title: str, bars: list[Bar], lines: list[Line], legend: list[LegendEntry], unit: str
    ) -> TimeChart:
        ticks = [
            Label(
                LEFT - 6, self.y(float(self.top * step / TICKS)), f"{_number(self.top * step / TICKS)}{unit}"
            )
            for step in range(TICKS + 1)
        ]
        every = max(len(self.buckets) // TIME_LABELS, 1)
        times = [
            Label(self.x(index), HEIGHT - 8, self.when(bucket))
            for index, bucket in enumerate(self.buckets)
            if (len(self.buckets) - 1 - index) % every == 0
        ]
        return TimeChart(title, WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, ticks, times, bars, lines, legend)

    def when(self, bucket: Bucket) -> str:
        moment = timezone.localtime(bucket.start)
        if self.unit >= timedelta(days=1):
            return f"{moment:%b %d}"
        if self.unit >= timedelta(hours=1) and len(self.buckets) > 48:
            return f"{moment:%b %d %H:%M}"
        return f"{moment:%H:%M}"

    def label(self, bucket: Bucket) -> str:
        return f"{timezone.localtime(bucket.start):%b %d %H:%M}"


def requests_chart(analytics: Analytics) -> TimeChart:
    """Requests per bucket, stacked by status class (2xx, 4xx, 5xx, other)."""
    buckets = analytics.buckets
    totals = [sum(bucket.requests.values()) for bucket in buckets]
    frame = _Frame(buckets, nice_ceiling(Decimal(max(totals, default=0))), analytics.window.unit)
    bars = []
    for index, bucket in enumerate(buckets):
        low = 0
        for series, status_class in enumerate(STATUS_CLASSES):
            count = bucket.requests[status_class]
            if count:
                title = f"{frame.label(bucket)}: {count:,} {status_class}"
                bars.append(frame.bar(series, index, low, low + count, title))
                low += count
    legend = [
        LegendEntry(series, f"{status_class} {analytics.requests[status_class]:,}")
        for series, status_class in enumerate(STATUS_CLASSES)
        if analytics.requests[status_class] or status_class != "other"
    ]
    return frame.chart("Requests by status class", bars, [], legend, "")


def latency_chart(analytics: Analytics) -> TimeChart:
    """The latency quantiles the service reported, averaged per bucket, in milliseconds."""
    buckets = analytics.buckets
    values = [
        [None if bucket.latency[field] is None else bucket.latency[field] * 1000 for bucket in buckets]
        for field in LATENCY_FIELDS
    ]
    highest = max((value for series in values for value in series if value is not None), default=0)
    frame = _Frame(buckets, nice_ceiling(Decimal(str(round(highest, 3)))), analytics.window.unit)
    lines = [
        Line(series, points)
        for series, series_values in enumerate(values)
        for points in _runs(series_values, frame.x, frame.y)
    ]
    legend = [LegendEntry(series, name) for series, name in enumerate(LATENCY_NAMES)]
    return frame.chart("Latency (ms)", [], lines, legend, " ms")


def replicas_chart(analytics: Analytics) -> TimeChart:
    """The most replicas serving at once in each bucket."""
    buckets = analytics.buckets
    highest = max((bucket.replicas or 0 for bucket in buckets), default=0)
    frame = _Frame(buckets, nice_ceiling(Decimal(highest)), analytics.window.unit)
    bars = [
        frame.bar(0, index, 0, bucket.replicas, f"{frame.label(bucket)}: {bucket.replicas} replicas")
        for index, bucket in enumerate(buckets)
        if bucket.replicas
    ]
    return frame.chart("Replicas", bars, [], [LegendEntry(0, "replicas serving")], "")


def _runs(
    values: Sequence[float | None], x: Callable[[int], float], y: Callable[[float], float]
) -> list[str]:
    """The polylines through the points that have a value, broken where one has none."""
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{x(index)},{y(value)}")
    # A lone point is drawn as a line of no length (the stylesheet rounds its caps into a dot).
    return [" ".join(run if len(run) > 1 else run * 2) for run in runs if run]


def _number(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}".rstrip("0")
