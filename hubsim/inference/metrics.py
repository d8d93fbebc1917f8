"""Per-endpoint counters, served at ``/metrics`` in Prometheus' text format under TGI's metric names."""

from dataclasses import dataclass, fields


@dataclass
class EndpointMetrics:
    tgi_request_count: int = 0
    tgi_request_success: int = 0
    tgi_request_failure: int = 0
    tgi_request_input_tokens: int = 0
    tgi_request_generated_tokens: int = 0

    def prometheus_text(self) -> str:
        lines = []
        for metric in fields(self):
            lines += [f"# TYPE {metric.name} counter", f"{metric.name} {getattr(self, metric.name)}"]
        return "\n".join(lines) + "\n"


class MetricsBook:
    def __init__(self) -> None:
        self.by_endpoint: dict[str, EndpointMetrics] = {}

    def of(self, endpoint_id: str) -> EndpointMetrics:
        return self.by_endpoint.setdefault(endpoint_id, EndpointMetrics())

    def clear(self) -> None:
        self.by_endpoint.clear()
