"""Per-endpoint Prometheus metrics, under each engine's own names and in its own exposition format.

Two formats are written here: the one of Rust's ``metrics-exporter-prometheus`` (TGI and TEI render their
``/metrics`` with it: counters without a ``_total`` suffix, no ``_created`` samples, a blank line after each
family) and the one of the Python ``prometheus_client`` (vLLM and SGLang use that library; hubsim does too,
see ``ClientRegistry``). llama.cpp and the Inference Toolkit write theirs by hand, in their own modules.
"""

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector

PROMETHEUS_TEXT = "text/plain; version=0.0.4"
Labels = tuple[tuple[str, str], ...]


class EngineMetrics(Protocol):
    """What every engine's metrics can do: render themselves as its /metrics would."""

    def render(self) -> tuple[str, str]:
        """(body, content type)."""
        ...


@dataclass
class _Histogram:
    bounds: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def observe(self, value: float) -> None:
        if not self.counts:
            self.counts = [0] * len(self.bounds)
        for position in range(bisect_left(self.bounds, value), len(self.bounds)):
            self.counts[position] += 1
        self.total += value
        self.count += 1


class ExporterRegistry:
    """Counters and histograms written as ``metrics-exporter-prometheus`` writes them."""

    def __init__(self, descriptions: dict[str, str], buckets: Callable[[str], tuple[float, ...]]) -> None:
        self._descriptions = descriptions
        self._buckets = buckets
        self._counters: dict[str, dict[Labels, float]] = {}
        self._histograms: dict[str, dict[Labels, _Histogram]] = {}

    def increment(self, name: str, labels: Labels = (), by: float = 1) -> None:
        series = self._counters.setdefault(name, {})
        series[labels] = series.get(labels, 0) + by

    def observe(self, name: str, value: float, labels: Labels = ()) -> None:
        series = self._histograms.setdefault(name, {})
        series.setdefault(labels, _Histogram(self._buckets(name))).observe(value)

    def render(self) -> tuple[str, str]:
        lines: list[str] = []
        families = [("counter", self._counters), ("histogram", self._histograms)]
        for kind, metrics in families:
            for name in sorted(metrics):
                if name in self._descriptions:
                    lines.append(f"# HELP {name} {self._descriptions[name]}")
                lines.append(f"# TYPE {name} {kind}")
                for labels, value in metrics[name].items():
                    lines += (
                        _histogram_lines(name, labels, value)
                        if isinstance(value, _Histogram)
                        else [f"{name}{_labels(labels)} {_number(value)}"]
                    )
                lines.append("")
        return "\n".join(lines) + "\n", PROMETHEUS_TEXT


def _histogram_lines(name: str, labels: Labels, histogram: _Histogram) -> list[str]:
    lines = [
        f"{name}_bucket{_labels((*labels, ('le', _number(bound))))} {count}"
        for bound, count in zip(histogram.bounds, histogram.counts, strict=True)
    ]
    lines += [
        f"{name}_bucket{_labels((*labels, ('le', '+Inf')))} {histogram.count}",
        f"{name}_sum{_labels(labels)} {_number(histogram.total)}",
        f"{name}_count{_labels(labels)} {histogram.count}",
    ]
    return lines


def _labels(labels: Labels) -> str:
    return "{" + ",".join(f'{key}="{value}"' for key, value in labels) + "}" if labels else ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class ClientRegistry:
    """A ``prometheus_client`` registry of its own per endpoint, with the labels every metric of the engine
    carries: the exact text vLLM and SGLang serve (they use that library)."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.registry = CollectorRegistry()
        GCCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.labels = labels

    def counter(self, name: str, documentation: str, **extra: str) -> Counter:
        return self._child(Counter, name, documentation, extra)

    def gauge(self, name: str, documentation: str, **extra: str) -> Gauge:
        return self._child(Gauge, name, documentation, extra)

    def histogram(self, name: str, documentation: str, buckets: tuple[float, ...]) -> Histogram:
        metric = Histogram(name, documentation, list(self.labels), buckets=buckets, registry=self.registry)
        return metric.labels(**self.labels)

    def counters(
        self, name: str, documentation: str, label: str, values: tuple[str, ...]
    ) -> dict[str, Counter]:
        """One counter per value of an extra label (vLLM's ``finished_reason``)."""
        metric = Counter(name, documentation, [*self.labels, label], registry=self.registry)
        return {value: metric.labels(**self.labels, **{label: value}) for value in values}

    def _child(self, kind: type, name: str, documentation: str, extra: dict[str, str]) -> Any:
        metric = kind(name, documentation, [*self.labels, *extra], registry=self.registry)
        return metric.labels(**self.labels, **extra)

    def render(self) -> tuple[str, str]:
        # The text format 0.0.4, which the prometheus_client versions these engines pin answer with.
        return generate_latest(self.registry).decode(), CONTENT_TYPE_PLAIN_0_0_4


class MetricsBook:
    """Each endpoint's metrics, made by its engine on first use; a new engine (an update that changed the
    image) starts from zero, as a restarted server does."""

    def __init__(self) -> None:
        self._by_endpoint: dict[str, tuple[str, EngineMetrics]] = {}

    def of(self, endpoint_id: str, engine: str, make: Callable[[], EngineMetrics]) -> EngineMetrics:
        current = self._by_endpoint.get(endpoint_id)
        if current is None or current[0] != engine:
            current = (engine, make())
            self._by_endpoint[endpoint_id] = current
        return current[1]

    def clear(self) -> None:
        self._by_endpoint.clear()
