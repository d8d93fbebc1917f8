"""In-app notifications (the bell), with who has read them and how they were delivered."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from endpoints_app.models import Endpoint, Operation


class Notification(models.Model):
    class Kind(models.TextChoices):
        ACTION_SUCCEEDED = "action_succeeded", "Automatic action done"
        ACTION_FAILED = "action_failed", "Automatic action failed"
        BUDGET_ALERT = "budget_alert", "Budget alert"
        PAUSE_WARNING = "pause_warning", "Pause ahead"
        ENDPOINT_FAILED = "endpoint_failed", "Endpoint failed"

    class Level(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        ERROR = "error", "Error"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy = models.ForeignKey(
        "billing.Policy", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    emailed_to = models.JSONField(default=list, blank=True)
    webhook_result = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
