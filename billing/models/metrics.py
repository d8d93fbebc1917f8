"""The last reading of each running endpoint's activity: which signal could be read, its request count, and
why the better signals could not (activity is a count that went up; see billing/metrics.py)."""

from django.db import models

from endpoints_app.models import Endpoint


class ActivitySource(models.TextChoices):
    """The signals, best first."""

    OPEN_METRICS = "open_metrics", "the service's open-metrics"
    ENGINE_COUNTER = "engine_counter", "the engine's request counter"
    PLAYGROUND = "playground", "playground traffic only"


class MetricsReading(models.Model):
    endpoint = models.OneToOneField(Endpoint, on_delete=models.CASCADE, related_name="metrics_reading")
    source = models.CharField(
        max_length=20, choices=ActivitySource.choices, default=ActivitySource.PLAYGROUND
    )
    counter = models.CharField(max_length=80, blank=True, help_text="The counter read, e.g. http_requests.")
    request_count = models.PositiveBigIntegerField(null=True, blank=True)
    read_at = models.DateTimeField()
    fallback_reason = models.CharField(
        max_length=500, blank=True, help_text="Why the better signals could not be read."
    )

    def __str__(self) -> str:
        return f"{self.endpoint}: {self.signal_label} at {self.read_at:%Y-%m-%d %H:%M}"

    @property
    def traffic_visible(self) -> bool:
        """Whether requests from outside the console can be seen (not only the playground's)."""
        return self.source != ActivitySource.PLAYGROUND

    @property
    def signal_label(self) -> str:
        """Where the activity comes from, in a few words: open-metrics, its vllm:request_success ..."""
        if self.source == ActivitySource.ENGINE_COUNTER:
            return f"its {self.counter}"
        return "open-metrics" if self.source == ActivitySource.OPEN_METRICS else "playground traffic only"
