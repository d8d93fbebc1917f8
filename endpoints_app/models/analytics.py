"""The time series of each running endpoint's open-metrics: one sample per collection round, and the same
samples added up per hour (what windows of a day or more read: 720 rows for 30 days, whatever the
interval)."""

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


class MetricsHour(models.Model):
    """An endpoint's samples of one hour (UTC) added up: requests summed, latencies as sums and counts (for
    averages over any span of hours), the most replicas seen."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="metrics_hours")
    hour = models.DateTimeField()
    requests_2xx = models.PositiveBigIntegerField(default=0)
    requests_4xx = models.PositiveBigIntegerField(default=0)
    requests_5xx = models.PositiveBigIntegerField(default=0)
    requests_other = models.PositiveBigIntegerField(default=0)
    latency_p50_sum = models.FloatField(default=0)
    latency_p50_count = models.PositiveIntegerField(default=0)
    latency_p90_sum = models.FloatField(default=0)
    latency_p90_count = models.PositiveIntegerField(default=0)
    latency_p99_sum = models.FloatField(default=0)
    latency_p99_count = models.PositiveIntegerField(default=0)
    replicas = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["endpoint", "hour"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "hour"], name="one_metrics_hour")]
        indexes = [models.Index(fields=["hour"])]

    def __str__(self) -> str:
        return f"{self.endpoint} at {self.hour:%Y-%m-%d %H:00}"
