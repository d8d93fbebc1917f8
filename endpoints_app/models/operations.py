"""Long actions on endpoints, as rows that the UI, the audit log and a restarted worker all read."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from endpoints_app.models.credentials import Namespace
from endpoints_app.models.endpoints import Endpoint


class OperationKind(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    PAUSE = "pause", "Pause"
    RESUME = "resume", "Resume"
    SCALE_TO_ZERO = "scale_to_zero", "Scale to zero"
    DELETE = "delete", "Delete"


class OperationState(models.TextChoices):
    QUEUED = "queued", "Queued"
    CALLING = "calling", "Calling the API"
    WAITING = "waiting", "Waiting"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


ACTIVE_STATES = (OperationState.QUEUED, OperationState.CALLING, OperationState.WAITING)


class OperationQuerySet(models.QuerySet):
    def abandoned(self, now: datetime | None = None) -> "OperationQuerySet":
        """Active operations no task is looking after: queued while the task queue did not answer (at once),
        or for RECONCILE_GRACE_SECONDS (their worker died) queued and never picked up, queued or calling
        without a heartbeat, or waiting for a check that never came."""
        cutoff = (now or timezone.now()) - timedelta(seconds=settings.RECONCILE_GRACE_SECONDS)
        return self.filter(
            Q(state=OperationState.QUEUED, queue_down_at__isnull=False, heartbeat_at__isnull=True)
            | Q(state=OperationState.QUEUED, created_at__lt=cutoff, heartbeat_at__isnull=True)
            | Q(state__in=[OperationState.QUEUED, OperationState.CALLING], heartbeat_at__lt=cutoff)
            | Q(state=OperationState.WAITING, next_check_at__lt=cutoff)
        )


class Operation(models.Model):
    """One action on one endpoint. At most one is active per endpoint name (a database constraint)."""

    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    state = models.CharField(max_length=20, choices=OperationState.choices, default=OperationState.QUEUED)
    namespace = models.ForeignKey(Namespace, on_delete=models.CASCADE, related_name="operations")
    endpoint_name = models.CharField(max_length=32)
    endpoint = models.ForeignKey(
        Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="operations"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_from = models.GenericIPAddressField(null=True, blank=True)
    automatic_reason = models.CharField(
        max_length=200, blank=True, help_text="Set when a policy, not a person, asked for it."
    )
    payload = models.JSONField(default=dict, blank=True, help_text="The request, without secrets.")
    secrets_ciphertext = models.BinaryField(null=True, blank=True, editable=False)
    wait_for_running = models.BooleanField(default=False)
    remote_state = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Status checks made while waiting.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last time a task worked on it.")
    queue_down_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the task queue (Redis) did not take it: reconcile sends it again.",
    )
    next_check_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next status check is due."
    )

    objects = OperationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["namespace", "endpoint_name"],
                condition=models.Q(state__in=ACTIVE_STATES),
                name="one_active_operation_per_endpoint",
            )
        ]
        indexes = [models.Index(fields=["state", "next_check_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.namespace.name}/{self.endpoint_name} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def queue_down_note(self) -> str:
        """What to say of an operation asked for while the task queue did not answer; empty otherwise."""
        if self.state == OperationState.QUEUED and self.queue_down_at is not None:
            return "Queued: it starts when the task queue (Redis) is back. Nothing is lost, and it runs once."
        return ""

    @property
    def actor_label(self) -> str:
        if self.requested_by is not None:
            return self.requested_by.get_username()
        return f"automatic: {self.automatic_reason}" if self.automatic_reason else "system"

    @property
    def elapsed_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        return ((self.finished_at or timezone.now()) - self.started_at).total_seconds()
