"""The last request count read from an endpoint's /metrics (activity is a count that went up)."""

from django.db import models

from endpoints_app.models import Endpoint


class MetricsReading(models.Model):
    endpoint = models.OneToOneField(Endpoint, on_delete=models.CASCADE, related_name="metrics_reading")
    request_count = models.PositiveBigIntegerField(null=True, blank=True)
    read_at = models.DateTimeField()
    error = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.endpoint}: {self.request_count} requests at {self.read_at:%Y-%m-%d %H:%M}"
