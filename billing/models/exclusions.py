"""'Keep running' marks: policies leave these endpoints alone until the mark expires or is ended."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from endpoints_app.models import Endpoint


class ExclusionQuerySet(models.QuerySet):
    def active(self, at: datetime | None = None) -> "ExclusionQuerySet":
        return self.filter(ended_at__isnull=True, expires_at__gt=at or timezone.now())


class Exclusion(models.Model):
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Set when ended before it expired.")

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        ordering = ["-expires_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "ended_at", "expires_at"])]

    def __str__(self) -> str:
        return f"Keep {self.endpoint} running until {self.expires_at:%Y-%m-%d %H:%M}: {self.reason}"

    def is_active(self, at: datetime | None = None) -> bool:
        return self.ended_at is None and self.expires_at > (at or timezone.now())
