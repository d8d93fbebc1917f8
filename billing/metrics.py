"""Activity of the running endpoints, from the best signal each one has, in this order:

1. the service's open-metrics: `http_requests`, every request the endpoint's replicas answered, whatever the
   engine (an API call, where the API answers it: a Beta for Enterprise subscribers);
2. else the engine's own request counter on the endpoint's /metrics (`request_counters` of
   `endpoints_app.engines.TRAITS`: `tgi_request_count`, `vllm:request_success` ...);
3. else playground traffic only (the playground records it as it happens; nothing is read here).

A count that went up since the last reading of the same counter is activity. Each reading records the
signal used and why the better ones could not be read; the idle policy skips endpoints whose traffic it
cannot see unless it says otherwise.

Only the `status.url` of mirrored endpoints is contacted, with the namespace's own token. The /metrics of an
endpoint that scales to zero on its own is not read: that request would count as traffic and keep it awake
(reading its open-metrics is an API call that does not reach its replicas).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx2
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from billing.models import ActivitySource, MetricsReading
from endpoints_app import inference_servers
from endpoints_app.engines import traits
from endpoints_app.hf import GatewayError, HfGateway
from endpoints_app.hf.open_metrics import REQUESTS
from endpoints_app.hf.retry import ONE_ATTEMPT
from endpoints_app.models import Endpoint, EndpointStatus, MetricsSample
from endpoints_app.prometheus_text import counter_total
from endpoints_app.security_types import authorization, behind_private_link
from endpoints_app.services.activity import record_activity

logger = logging.getLogger(__name__)
FALLBACK_REASON_LENGTH = 500  # MetricsReading.fallback_reason


class MetricsUnavailable(Exception):
    """The endpoint's /metrics did not answer with a request count; `str(error)` says why."""


@dataclass(frozen=True)
class Signal:
    source: ActivitySource
    counter: str  # the counter read; empty for playground traffic only
    count: int | None
    fallback_reason: str  # why the better signals could not be read


def readable_endpoints() -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(
        is_gone=False, status=EndpointStatus.RUNNING, namespace__credential__isnull=False
    ).select_related("namespace__credential")


def read_signal(endpoint: Endpoint, now: datetime) -> Signal:
    """The best signal of the endpoint's activity that can be read now: the open-metrics the analytics
    collector read within its interval (no second call for the same counter), else asked now, else the
    engine's counter, else none. One attempt each: the next round reads again, and never sleeps on retries."""
    sampled = sampled_request_count(endpoint, now)
    if sampled is not None:
        return Signal(ActivitySource.OPEN_METRICS, REQUESTS, sampled, "")
    missed = []
    token = endpoint.namespace.credential.reveal_token()
    gateway = HfGateway(token, retry=ONE_ATTEMPT)
    try:
        count = gateway.endpoint_open_metrics(endpoint.namespace.name, endpoint.name).request_count
        return Signal(ActivitySource.OPEN_METRICS, REQUESTS, count, "")
    except GatewayError as error:
        missed.append(f"open-metrics: {error}")
    try:
        counter, count = read_engine_counter(endpoint, token)
        return Signal(ActivitySource.ENGINE_COUNTER, counter, count, "; ".join(missed))
    except MetricsUnavailable as unavailable:
        missed.append(f"/metrics: {unavailable}")
    return Signal(ActivitySource.PLAYGROUND, "", None, "; ".join(missed))


def sampled_request_count(endpoint: Endpoint, now: datetime) -> int | None:
    """The `http_requests` that the analytics collector (services/metrics_collection.py) read from the
    endpoint's open-metrics within the last METRICS_INTERVAL_SECONDS, summed over replicas and statuses as
    `OpenMetrics.request_count` sums them; None without so fresh a sample."""
    fresh_since = now - timedelta(seconds=settings.METRICS_INTERVAL_SECONDS)
    sample = MetricsSample.objects.filter(endpoint=endpoint, at__gte=fresh_since, at__lte=now).last()
    return None if sample is None else int(sum(sample.counters.values()))


def read_engine_counter(endpoint: Endpoint, token: str) -> tuple[str, int]:
    """The engine's request counter on the endpoint's /metrics, asked with the namespace's token: (its name,
    its value)."""
    counters = traits(endpoint.engine).request_counters
    if not counters:
        raise MetricsUnavailable(f"{endpoint.get_engine_display()} counts no requests")
    if endpoint.min_replica == 0 and endpoint.scale_to_zero_timeout is not None:
        raise MetricsUnavailable("not read: it scales to zero on its own, and reading would keep it awake")
    if behind_private_link(endpoint.raw):
        raise MetricsUnavailable("not read: behind AWS PrivateLink, its URL is only reachable inside its VPC")
    if not endpoint.url:
        raise MetricsUnavailable("the endpoint has no URL yet")
    try:
        response = inference_servers.client().get(
            f"{endpoint.url.rstrip('/')}/metrics",
            headers=authorization(endpoint.endpoint_type, token),
            timeout=settings.BILLING_METRICS_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx2.HTTPError as error:
        raise MetricsUnavailable(f"no answer ({type(error).__name__})") from None
    if response.status_code != 200:
        raise MetricsUnavailable(f"HTTP {response.status_code}")
    try:
        counted = counter_total(response.text, counters)
    except ValueError as error:
        raise MetricsUnavailable(f"not Prometheus metrics ({error})") from None
    # TGI's and TEI's exporter lists a counter from its first increment on: metrics without it count zero.
    return counted or (counters[0], 0)


def record_reading(endpoint: Endpoint, now: datetime) -> bool:
    """Reads the endpoint's activity signal; records activity when its count changed. Returns whether it
    did."""
    previous = MetricsReading.objects.filter(endpoint=endpoint).first()
    signal = read_signal(endpoint, now)
    same_counter = (
        previous is not None
        and previous.request_count is not None
        and (previous.source, previous.counter) == (signal.source, signal.counter)
    )
    # A count lower than the last one means the server restarted: it served that many requests since.
    used = same_counter and signal.count not in (None, 0, previous.request_count)
    if used:
        record_activity(endpoint, now)
    MetricsReading.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "source": signal.source,
            "counter": signal.counter,
            "request_count": signal.count,
            "read_at": now,
            "fallback_reason": signal.fallback_reason[:FALLBACK_REASON_LENGTH],
        },
    )
    return used


def collect_activity(now: datetime | None = None) -> int:
    """Reads every running endpoint once. Returns how many were used since their last reading."""
    moment = now or timezone.now()
    return sum(record_reading(endpoint, moment) for endpoint in readable_endpoints())
