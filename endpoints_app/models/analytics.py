"""The time series of each running endpoint's open-metrics, one sample per collection round."""

from datetime import UTC
from typing import Any

from django.db import models

from endpoints_app.models.endpoints import Endpoint


class MetricsSample(models.Model):
    """What an endpoint's open-metrics said at `at`, and what changed since the endpoint's previous sample.

    The request columns are increases since that sample (0 on an endpoint's first sample, which only sets
    the baseline), computed per replica and status as Prometheus' `increase()` does: a replica's counter that
    went down was restarted. `counters` keeps the counters read, for the next sample's increases.
    """

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="metrics_samples")
    at = models.DateTimeField()
    hour = models.DateTimeField(help_text="The hour `at` falls in (UTC): what the Analytics tab sums by.")
    requests_2xx = models.PositiveIntegerField(default=0)
    requests_4xx = models.PositiveIntegerField(default=0)
    requests_5xx = models.PositiveIntegerField(default=0)
    requests_other = models.PositiveIntegerField(default=0, help_text="1xx and 3xx answers.")
    latency_p50 = models.FloatField(null=True, blank=True, help_text="Seconds; empty without new requests.")
    latency_p90 = models.FloatField(null=True, blank=True)
    latency_p99 = models.FloatField(null=True, blank=True)
    latency_count = models.PositiveBigIntegerField(default=0, help_text="Requests the latency summary saw.")
    replicas = models.PositiveIntegerField(default=0)
    counters = models.JSONField(default=dict, help_text='"replica status" -> requests counted so far.')

    class Meta:
        ordering = ["endpoint", "at"]
        indexes = [models.Index(fields=["endpoint", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.endpoint} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.hour = self.at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        super().save(*args, **kwargs)

    @property
    def requests(self) -> int:
        return self.requests_2xx + self.requests_4xx + self.requests_5xx + self.requests_other
