"""What the Analytics tab shows of an endpoint over a window: its collected samples (services/
metrics_collection.py) summed and averaged per minute, hour or day, in the database. No API call."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.db.models import Avg, Max, Sum
from django.db.models.functions import TruncDay, TruncHour, TruncMinute
from django.utils import timezone

from endpoints_app.models import Endpoint, MetricsSample

STATUS_CLASSES = ("2xx", "4xx", "5xx", "other")
REQUEST_FIELDS = tuple(f"requests_{status_class}" for status_class in STATUS_CLASSES)
LATENCY_FIELDS = ("latency_p50", "latency_p90", "latency_p99")


@dataclass(frozen=True)
class Window:
    key: str
    label: str
    length: timedelta
    unit: timedelta  # the span of one bar or point
    trunc: Callable  # the database function that finds a sample's bucket


WINDOWS = {
    window.key: window
    for window in (
        Window("1h", "Last hour", timedelta(hours=1), timedelta(minutes=1), TruncMinute),
        Window("24h", "Last 24 hours", timedelta(days=1), timedelta(hours=1), TruncHour),
        Window("7d", "Last 7 days", timedelta(days=7), timedelta(hours=1), TruncHour),
        Window("30d", "Last 30 days", timedelta(days=30), timedelta(days=1), TruncDay),
    )
}
DEFAULT_WINDOW = "24h"


@dataclass(frozen=True)
class Bucket:
    start: datetime
    requests: dict[str, int]  # status class -> requests
    latency: dict[str, float | None]  # latency_p50 ... -> seconds, the bucket's average (None: no request)
    replicas: int | None  # the most serving at once (None: no sample)


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
    samples = MetricsSample.objects.filter(endpoint=endpoint, at__gt=start, at__lte=end)
    zone = timezone.get_current_timezone()
    rows = (
        samples.order_by()
        .annotate(bucket=window.trunc("at", tzinfo=zone))
        .values("bucket")
        .annotate(
            **{field: Sum(field) for field in REQUEST_FIELDS},
            **{field: Avg(field) for field in LATENCY_FIELDS},
            replicas=Max("replicas"),
        )
    )
    by_start = {row["bucket"]: row for row in rows}
    buckets = [_bucket(moment, by_start.get(moment)) for moment in _bucket_starts(window, start, end, zone)]
    requests = {
        status_class: sum(bucket.requests[status_class] for bucket in buckets)
        for status_class in STATUS_CLASSES
    }
    newest_first = samples.defer("counters").order_by("-at")
    latest, latest_latency = newest_first.first(), newest_first.filter(latency_p50__isnull=False).first()
    return Analytics(window, start, end, buckets, requests, latest, latest_latency)


def _bucket(start: datetime, row: dict | None) -> Bucket:
    row = row or {}
    return Bucket(
        start=start,
        requests={
            status_class: row.get(field) or 0
            for status_class, field in zip(STATUS_CLASSES, REQUEST_FIELDS, strict=True)
        },
        latency={field: row.get(field) for field in LATENCY_FIELDS},
        replicas=row.get("replicas"),
    )


def _bucket_starts(window: Window, start: datetime, end: datetime, zone: tzinfo) -> list[datetime]:
    """The start of each bucket, from the one holding `start` to the one holding `end`, on the console's wall
    clock (a day starts at local midnight, as TruncDay has it; aware arithmetic adds wall-clock time)."""
    local = timezone.localtime(start, zone)
    if window.unit >= timedelta(days=1):
        moment = local.replace(hour=0, minute=0, second=0, microsecond=0)
    elif window.unit >= timedelta(hours=1):
        moment = local.replace(minute=0, second=0, microsecond=0)
    else:
        moment = local.replace(second=0, microsecond=0)
    starts = []
    while moment <= end:
        starts.append(moment)
        moment += window.unit
    return starts
