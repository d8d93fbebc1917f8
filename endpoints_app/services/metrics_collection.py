"""The Analytics tab's time series: each running endpoint's open-metrics read once per round into a
`MetricsSample` (added to its `MetricsHour`), and rows older than the retention deleted. Pages only read
them."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from endpoints_app.hf import GatewayError, HfGateway
from endpoints_app.hf.open_metrics import OpenMetrics
from endpoints_app.hf.retry import ONE_ATTEMPT
from endpoints_app.models import Endpoint, EndpointStatus, MetricsHour, MetricsSample, Namespace
from endpoints_app.services.analytics import LATENCY_FIELDS, REQUEST_FIELDS

logger = logging.getLogger(__name__)
QUANTILES = {"latency_p50": 0.5, "latency_p90": 0.9, "latency_p99": 0.99}


@dataclass(frozen=True)
class RoundResult:
    collected: int
    failed: int


def collectable_endpoints() -> QuerySet[Endpoint]:
    """Running endpoints of namespaces with a token: the ones the service has metrics of."""
    return Endpoint.objects.filter(
        is_gone=False, status=EndpointStatus.RUNNING, namespace__credential__isnull=False
    ).select_related("namespace__credential")


def namespaces_to_collect() -> list[int]:
    return list(collectable_endpoints().values_list("namespace_id", flat=True).distinct().order_by())


def collect_namespace(namespace: Namespace, now: datetime | None = None) -> RoundResult:
    """Reads the open-metrics of each running endpoint of the namespace once (a failed read is not retried:
    the next round reads again), then writes the samples in one transaction (no write lock held while the
    API answers)."""
    moment = now or timezone.now()
    endpoints = list(collectable_endpoints().filter(namespace=namespace))
    if not endpoints:
        return RoundResult(0, 0)
    gateway = HfGateway.for_namespace(namespace, retry=ONE_ATTEMPT)
    readings = []
    for endpoint in endpoints:
        try:
            readings.append((endpoint, gateway.endpoint_open_metrics(namespace.name, endpoint.name)))
        except GatewayError as error:
            logger.warning("Could not collect the metrics of %s: %s", endpoint.full_name, error)
    with transaction.atomic():
        for endpoint, metrics in readings:
            record_sample(endpoint, metrics, moment)
    return RoundResult(len(readings), len(endpoints) - len(readings))


def record_sample(endpoint: Endpoint, metrics: OpenMetrics, at: datetime) -> MetricsSample:
    samples = MetricsSample.objects.filter(endpoint=endpoint).order_by("-at")
    last = samples.only("counters", "latency_count").first()
    counters = {f"{replica} {status}": count for (replica, status), count in metrics.requests.items()}
    by_class = _increases_by_class(last.counters, counters) if last is not None else {}
    served_since = last is None or metrics.latency_count != last.latency_count
    latency = {
        field: metrics.latency_quantiles.get(quantile) if served_since else None
        for field, quantile in QUANTILES.items()
    }
    sample = MetricsSample.objects.create(
        endpoint=endpoint,
        at=at,
        requests_2xx=by_class.get("2xx", 0),
        requests_4xx=by_class.get("4xx", 0),
        requests_5xx=by_class.get("5xx", 0),
        requests_other=by_class.get("other", 0),
        latency_count=metrics.latency_count,
        replicas=len(metrics.replicas),
        counters=counters,
        **latency,
    )
    add_to_hour(sample)
    return sample


def add_to_hour(sample: MetricsSample) -> None:
    """Adds the sample to its hour's sums (one row per endpoint and hour, made by the hour's first sample)."""
    hour = sample.at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    row, _ = MetricsHour.objects.get_or_create(endpoint_id=sample.endpoint_id, hour=hour)
    changes: dict[str, Any] = {name: F(name) + getattr(sample, name) for name in REQUEST_FIELDS}
    for name in LATENCY_FIELDS:
        if (seconds := getattr(sample, name)) is not None:
            changes[f"{name}_sum"] = F(f"{name}_sum") + seconds
            changes[f"{name}_count"] = F(f"{name}_count") + 1
    changes["replicas"] = Greatest("replicas", Value(sample.replicas))
    MetricsHour.objects.filter(pk=row.pk).update(**changes)


def _increases_by_class(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    """Requests between two reads, by status class. Each (replica, status) counter is compared with its own
    previous value: one that went down (its replica restarted) counted from zero, a new one from zero."""
    increases: dict[str, int] = {}
    for key, count in after.items():
        previous = before.get(key, 0)
        increase = count - previous if count >= previous else count
        status_class = _status_class(int(key.rsplit(" ", 1)[1]))
        increases[status_class] = increases.get(status_class, 0) + increase
    return increases


def _status_class(status: int) -> str:
    return {2: "2xx", 4: "4xx", 5: "5xx"}.get(status // 100, "other")


def prune_samples(now: datetime | None = None) -> int:
    """Deletes the samples older than METRICS_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.METRICS_RETENTION_DAYS)
    MetricsHour.objects.filter(hour__lt=cutoff).delete()
    deleted, _ = MetricsSample.objects.filter(at__lt=cutoff).delete()
    return deleted
