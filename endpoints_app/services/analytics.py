"""What the Analytics tab shows of an endpoint over a window: its collected samples (services/
metrics_collection.py) summed and averaged per minute, hour or day. No API call.

The last hour is read from its samples; longer windows from the hourly sums (`MetricsHour`: 720 rows for 30
days, whatever the collection interval), the hour the window starts in counted whole. Hours are folded into
the window's buckets on the console's wall clock.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from django.utils import timezone

from endpoints_app.models import Endpoint, MetricsHour, MetricsSample

STATUS_CLASSES = ("2xx", "4xx", "5xx", "other")
REQUEST_FIELDS = tuple(f"requests_{status_class}" for status_class in STATUS_CLASSES)
LATENCY_FIELDS = ("latency_p50", "latency_p90", "latency_p99")


@dataclass(frozen=True)
class Window:
    key: str
    label: str
    length: timedelta
    unit: timedelta  # the span of one bar or point: a minute, an hour or a day


WINDOWS = {
    window.key: window
    for window in (
        Window("1h", "Last hour", timedelta(hours=1), timedelta(minutes=1)),
        Window("24h", "Last 24 hours", timedelta(days=1), timedelta(hours=1)),
        Window("7d", "Last 7 days", timedelta(days=7), timedelta(hours=1)),
        Window("30d", "Last 30 days", timedelta(days=30), timedelta(days=1)),
    )
}
DEFAULT_WINDOW = "24h"


@dataclass
class Bucket:
    start: datetime
    requests: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_CLASSES, 0))
    latency_sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(LATENCY_FIELDS, 0.0))
    latency_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LATENCY_FIELDS, 0))
    replicas: int | None = None  # the most serving at once (None: no sample)

    @property
    def latency(self) -> dict[str, float | None]:
        """latency_p50 ... -> seconds, the average of the bucket's samples (None: no request in it)."""
        return {
            name: self.latency_sums[name] / self.latency_counts[name] if self.latency_counts[name] else None
            for name in LATENCY_FIELDS
        }

    def add(self, row: dict) -> None:
        for status_class, name in zip(STATUS_CLASSES, REQUEST_FIELDS, strict=True):
            self.requests[status_class] += row[name] or 0
        for name in LATENCY_FIELDS:
            self.latency_sums[name] += row[f"{name}_sum"] or 0.0
            self.latency_counts[name] += row[f"{name}_count"]
        self.replicas = max(self.replicas or 0, row["replicas"])


@dataclass(frozen=True)
class Analytics:
    window: Window
    start: datetime
    end: datetime
    buckets: list[Bucket]
    requests: dict[str, int]  # status class -> requests in the window
    latest: MetricsSample | None  # the last sample in the window
    latest_latency: MetricsSample | None  # the last one with latencies (requests came since the one before)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


def endpoint_analytics(endpoint: Endpoint, window: Window, now: datetime | None = None) -> Analytics:
    end = now or timezone.now()
    start = end - window.length
    zone = timezone.get_current_timezone()
    ordered = [Bucket(moment) for moment in _bucket_starts(window, start, end, zone)]
    by_start = {bucket.start: bucket for bucket in ordered}
    for moment, row in _rows(endpoint, window, start, end):
        # The hour the window starts in may begin before the first bucket: it counts in that bucket.
        by_start.get(_bucket_start(moment, window, zone), ordered[0]).add(row)
    requests = {name: sum(bucket.requests[name] for bucket in ordered) for name in STATUS_CLASSES}
    samples = MetricsSample.objects.filter(endpoint=endpoint, at__gt=start, at__lte=end)
    newest_first = samples.defer("counters").order_by("-at")
    latest, latest_latency = newest_first.first(), newest_first.filter(latency_p50__isnull=False).first()
    return Analytics(window, start, end, ordered, requests, latest, latest_latency)


def _rows(
    endpoint: Endpoint, window: Window, start: datetime, end: datetime
) -> Iterable[tuple[datetime, dict]]:
    """(moment, sums) pairs: each sample of the last hour as a sum of one, or the hours of a longer window."""
    if window.unit >= timedelta(hours=1):
        hours = MetricsHour.objects.filter(
            endpoint=endpoint, hour__gt=start - timedelta(hours=1), hour__lte=end
        )
        return ((row["hour"], row) for row in hours.values())
    samples = MetricsSample.objects.filter(endpoint=endpoint, at__gt=start, at__lte=end)
    return (
        (row["at"], _as_sums(row))
        for row in samples.values("at", *REQUEST_FIELDS, *LATENCY_FIELDS, "replicas")
    )


def _as_sums(sample: dict) -> dict:
    for name in LATENCY_FIELDS:
        sample[f"{name}_sum"], sample[f"{name}_count"] = sample[name] or 0.0, int(sample[name] is not None)
    return sample


def _bucket_start(moment: datetime, window: Window, zone: tzinfo) -> datetime:
    local = timezone.localtime(moment, zone)
    if window.unit >= timedelta(days=1):
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    if window.unit >= timedelta(hours=1):
        return local.replace(minute=0, second=0, microsecond=0)
    return local.replace(second=0, microsecond=0)


def _bucket_starts(window: Window, start: datetime, end: datetime, zone: tzinfo) -> list[datetime]:
    """The start of each bucket, from the one holding `start` to the one holding `end`, on the console's wall
    clock (a day starts at local midnight; aware arithmetic adds wall-clock time)."""
    moment, starts = _bucket_start(start, window, zone), []
    while moment <= end:
        starts.append(moment)
        moment += window.unit
    return starts
