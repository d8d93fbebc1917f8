"""An endpoint's metrics as ``GET /v2/endpoint/{namespace}/{name}/open-metrics`` gives them.

The families, names, help texts and labels are those of the analytics guide's sample
(hf-endpoints-documentation ``guides/analytics.md``): ``latency_distribution`` (a summary in seconds,
quantiles 0.5, 0.9, 0.95, 0.99), ``http_requests`` (a counter by ``replica_id`` and ``status_code``) and
``cpu_usage_percent`` (a gauge, with a ``# UNIT`` line). The guide lists GPU and memory metrics without naming
them: hubsim adds ``gpu_usage_percent`` on GPU instances (assumed name). Usage is the share of the last minute
a replica spent serving requests (assumed: hubsim has no hardware to measure).

The sample's counter has no ``_total`` suffix and no ``# EOF`` ends it, so a strict OpenMetrics parser
refuses it while Prometheus' text format reads it (``# UNIT`` being a comment there): hubsim writes it as
the sample does and labels it Prometheus text (assumed; the guide does not give the content type).
"""

import math

from hubsim.observability.traffic import EndpointTraffic

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
QUANTILES = (0.5, 0.9, 0.95, 0.99)


def render(traffic: EndpointTraffic, replicas: list[str], accelerator: str, now: float) -> str:
    lines = [
        "# HELP latency_distribution Latency distribution",
        "# TYPE latency_distribution summary",
    ]
    ordered = sorted(traffic.latencies)
    if ordered:
        for quantile in QUANTILES:
            lines.append(
                f'latency_distribution{{quantile="{quantile}"}} {_nearest_rank(ordered, quantile):.9f}'
            )
    lines += [
        f"latency_distribution_count {traffic.count}",
        f"latency_distribution_sum {traffic.total_seconds:.9f}",
        "# HELP http_requests HTTP requests by code and replicas",
        "# TYPE http_requests counter",
    ]
    for (replica, status), count in sorted(traffic.requests.items()):
        lines.append(f'http_requests{{replica_id="{replica}",status_code="{status}"}} {count}')
    gauges = [("cpu_usage_percent", "CPU percent")]
    if accelerator == "gpu":
        gauges.append(("gpu_usage_percent", "GPU percent"))
    for name, help_text in gauges:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"# UNIT {name} percent"]
        for replica in replicas:
            lines.append(f'{name}{{replica_id="{replica}"}} {traffic.busy_share(replica, now) * 100:.1f}')
    return "\n".join(lines) + "\n"


def _nearest_rank(ordered: list[float], quantile: float) -> float:
    return ordered[max(math.ceil(quantile * len(ordered)) - 1, 0)]
