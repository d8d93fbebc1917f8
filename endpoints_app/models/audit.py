"""The audit log: who did what to which endpoint, from where, and how it ended."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    class Result(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        max_length=200, help_text="The username, or the policy for automatic ones."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    target = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="namespace/name, or a label."
    )
    changes = models.JSONField(default=dict, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices)
    message = models.TextField(blank=True)
    operation = models.ForeignKey(
        "endpoints_app.Operation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}: {self.result}"
