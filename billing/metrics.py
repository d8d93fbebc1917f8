"""Activity from the inference servers: the request count of an endpoint's /metrics (TGI's
`tgi_request_count`; hubsim serves it too). A count that went up since the last reading is activity.

Only the `status.url` of mirrored endpoints is contacted, with the namespace's own token. Endpoints that
scale to zero on their own are not read: a request to /metrics would count as traffic and keep them awake.
"""

import logging
from datetime import datetime

import httpx2
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from billing.models import MetricsReading
from endpoints_app import inference_servers
from endpoints_app.models import Endpoint, EndpointStatus
from endpoints_app.security_types import authorization
from endpoints_app.services.activity import record_activity

logger = logging.getLogger(__name__)
REQUEST_COUNT = "tgi_request_count"
ERROR_LENGTH = 200  # MetricsReading.error


class MetricsUnavailable(Exception):
    """The endpoint's /metrics did not answer with a request count; `str(error)` says why."""


def readable_endpoints() -> QuerySet[Endpoint]:
    return (
        Endpoint.objects.filter(
            is_gone=False, status=EndpointStatus.RUNNING, namespace__credential__isnull=False
        )
        .exclude(url="")
        .exclude(min_replica=0, scale_to_zero_timeout__isnull=False)
        .select_related("namespace__credential")
    )


def read_request_count(endpoint: Endpoint) -> int:
    url = f"{endpoint.url.rstrip('/')}/metrics"
    token = endpoint.namespace.credential.reveal_token()
    try:
        response = inference_servers.client().get(
            url,
            headers=authorization(endpoint.endpoint_type, token),
            timeout=settings.BILLING_METRICS_TIMEOUT_SECONDS,
        )
    except httpx2.HTTPError as error:
        raise MetricsUnavailable(f"no answer ({type(error).__name__})") from None
    if response.status_code != 200:
        raise MetricsUnavailable(f"HTTP {response.status_code}")
    try:
        families = list(text_string_to_metric_families(response.text))
    except ValueError as error:
        raise MetricsUnavailable(f"not Prometheus metrics ({error})") from None
    for family in families:
        if family.name == REQUEST_COUNT:
            return int(sum(sample.value for sample in family.samples))
    raise MetricsUnavailable(f"no {REQUEST_COUNT} in the metrics")


def record_reading(endpoint: Endpoint, now: datetime) -> bool:
    """Reads the endpoint's request count; records activity when it changed. Returns whether it did."""
    previous = MetricsReading.objects.filter(endpoint=endpoint).first()
    last_count = previous.request_count if previous else None
    try:
        count, error = read_request_count(endpoint), ""
    except MetricsUnavailable as unavailable:
        count, error = None, str(unavailable)[:ERROR_LENGTH]
    # A count lower than the last one means the server restarted: it served that many requests since.
    used = count is not None and last_count is not None and count != last_count and count > 0
    if used:
        record_activity(endpoint, now)
    MetricsReading.objects.update_or_create(
        endpoint=endpoint,
        defaults={"request_count": last_count if count is None else count, "read_at": now, "error": error},
    )
    return used


def collect_activity(now: datetime | None = None) -> int:
    """Reads every readable endpoint once. Returns how many were used since their last reading."""
    moment = now or timezone.now()
    return sum(record_reading(endpoint, moment) for endpoint in readable_endpoints())
