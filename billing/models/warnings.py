"""Notices given before a policy pauses an endpoint: the endpoint is paused only once its notice has run out,
and anyone who may operate it can keep it running for the policy's hours from the notice's link."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from billing.models.exclusions import Exclusion
from billing.models.notifications import Notification
from billing.models.policies import Policy
from endpoints_app.models import Endpoint


class PauseWarningQuerySet(models.QuerySet):
    def open(self) -> "PauseWarningQuerySet":
        return self.filter(ended_at__isnull=True)


class PauseWarning(models.Model):
    class Outcome(models.TextChoices):
        WAITING = "waiting", "Waiting for the notice to run out"
        PAUSED = "paused", "Paused after the notice"
        KEPT = "kept", "Kept running"
        WITHDRAWN = "withdrawn", "Withdrawn: the policy no longer pauses it"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="pause_warnings")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    warned_at = models.DateTimeField(default=timezone.now)
    pause_after = models.DateTimeField(help_text="The policy may pause the endpoint from this moment on.")
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="pause_warning"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.WAITING)
    ended_at = models.DateTimeField(null=True, blank=True)
    exclusion = models.ForeignKey(
        Exclusion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PauseWarningQuerySet.as_manager()

    class Meta:
        ordering = ["-warned_at", "-id"]
        constraints = [
            # Two enforcement runs at once give one notice, not two.
            models.UniqueConstraint(
                fields=["policy", "endpoint"],
                condition=Q(ended_at__isnull=True),
                name="one_open_pause_warning",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy}: pause {self.endpoint} after {self.pause_after:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("billing:keep_running", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
