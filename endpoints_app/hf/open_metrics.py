"""An endpoint's open-metrics (`GET /v2/endpoint/{namespace}/{name}/open-metrics`), read into a typed value.

The families are those of the Inference Endpoints analytics guide (hf-endpoints-documentation
`guides/analytics.md`, modelled by hubsim/observability/openmetrics.py): `http_requests`, a counter by
`replica_id` and `status_code`; `latency_distribution`, a summary in seconds over the latest requests; and
hardware gauges per replica (`cpu_usage_percent`). The sample's counter has no `_total` and no `# EOF`,
which Prometheus' text format reads and strict OpenMetrics refuses: prometheus_client's Prometheus parser
reads it.
"""

from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

REQUESTS = "http_requests"
LATENCY = "latency_distribution"
REPLICA_GAUGE = "cpu_usage_percent"  # one sample per replica serving now


class UnreadableMetrics(ValueError):
    """The answer is not metrics in Prometheus' text format."""


@dataclass(frozen=True)
class OpenMetrics:
    """What one read of an endpoint's open-metrics says."""

    requests: dict[tuple[str, int], int]  # (replica, HTTP status) -> requests counted so far
    latency_quantiles: dict[float, float]  # quantile -> seconds, over the latest requests
    latency_count: int  # requests the latency summary has seen
    replicas: tuple[str, ...]  # the replicas serving now

    @property
    def request_count(self) -> int:
        return sum(self.requests.values())


def parse_open_metrics(text: str) -> OpenMetrics:
    try:
        families = {family.name: family.samples for family in text_string_to_metric_families(text)}
    except ValueError as error:
        raise UnreadableMetrics(f"not Prometheus metrics ({error})") from None
    requests = {
        (sample.labels.get("replica_id", ""), int(sample.labels.get("status_code", 0))): int(sample.value)
        for sample in families.get(REQUESTS, [])
    }
    quantiles, count = {}, 0
    for sample in families.get(LATENCY, []):
        if "quantile" in sample.labels:
            quantiles[float(sample.labels["quantile"])] = sample.value
        elif sample.name.endswith("_count"):
            count = int(sample.value)
    gauges = families.get(REPLICA_GAUGE, [])
    replicas = tuple(sorted({sample.labels.get("replica_id", "") for sample in gauges}))
    return OpenMetrics(requests, quantiles, count, replicas)
