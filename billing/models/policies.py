"""Policies (idle pause, off-hours schedule, max runtime, budget) and the actions they took."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from endpoints_app.models import Endpoint, Namespace, Operation, OperationKind, Tag


class PolicyKind(models.TextChoices):
    IDLE_PAUSE = "idle_pause", "Idle pause"
    OFF_HOURS = "off_hours", "Off-hours schedule"
    MAX_RUNTIME = "max_runtime", "Max runtime"
    BUDGET = "budget", "Monthly budget"


# The settings each kind needs; the others stay empty.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    PolicyKind.IDLE_PAUSE: ("idle_minutes", "pause_unseen_traffic"),
    PolicyKind.OFF_HOURS: ("pause_at", "resume_at", "weekdays", "time_zone", "skip_dates"),
    PolicyKind.MAX_RUNTIME: ("max_runtime_hours",),
    PolicyKind.BUDGET: ("monthly_budget", "alert_thresholds", "pause_at_limit"),
}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    PolicyKind.IDLE_PAUSE: ("idle_minutes",),
    PolicyKind.OFF_HOURS: ("pause_at", "weekdays", "time_zone"),
    PolicyKind.MAX_RUNTIME: ("max_runtime_hours",),
    PolicyKind.BUDGET: ("monthly_budget", "alert_thresholds"),
}


class Policy(models.Model):
    """A rule the console enforces on the endpoints in its scope (empty scope: every endpoint)."""

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=PolicyKind.choices)
    enabled = models.BooleanField(default=True)
    namespaces = models.ManyToManyField(Namespace, blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    endpoints = models.ManyToManyField(Endpoint, blank=True, related_name="+")

    idle_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5)], help_text="Pause after this long unused."
    )
    pause_unseen_traffic = models.BooleanField(
        "pause endpoints whose traffic cannot be seen",
        default=False,
        help_text="Endpoints whose only readable activity is playground traffic (no open-metrics, no request "
        "counter of their engine) are skipped unless this is checked: an application may be using them.",
    )
    pause_at = models.TimeField(null=True, blank=True)
    resume_at = models.TimeField(null=True, blank=True, help_text="Leave empty to only pause.")
    weekdays = models.JSONField(default=list, blank=True, help_text="0 = Monday … 6 = Sunday.")
    time_zone = models.CharField(max_length=64, default="UTC")
    skip_dates = models.JSONField(default=list, blank=True, help_text="Holidays, as YYYY-MM-DD.")
    max_runtime_hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text="Pause after running this many hours without a break.",
    )
    monthly_budget = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal(1))]
    )
    alert_thresholds = models.JSONField(
        default=list, blank=True, help_text="Percentages, e.g. [50, 80, 100]."
    )
    pause_at_limit = models.BooleanField(default=False, help_text="Pause the scope's endpoints at 100%.")

    notice_minutes = models.PositiveIntegerField(
        "notice before pausing (minutes)",
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text="Warn this many minutes before pausing (0: pause without notice).",
    )
    keep_running_hours = models.PositiveIntegerField(
        '"keep running" for (hours)',
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text='What the notice\'s "keep running" link keeps the endpoint running for.',
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        missing = {
            name: "Required for this kind of policy."
            for name in REQUIRED_FIELDS.get(self.kind, ())
            if getattr(self, name) in (None, "", [])
        }
        if missing:
            raise ValidationError(missing)
        if self.kind == PolicyKind.OFF_HOURS:
            self._clean_schedule()

    def _clean_schedule(self) -> None:
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}."})
        if self.resume_at is not None and self.resume_at == self.pause_at:
            raise ValidationError({"resume_at": "The resume time must differ from the pause time."})
        if any(day not in range(7) for day in self.weekdays):
            raise ValidationError({"weekdays": "Weekdays are numbers from 0 (Monday) to 6 (Sunday)."})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class PolicyAction(models.Model):
    """An operation a policy asked for, with why and what it saves per hour (negative for a resume)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="actions")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="+")
    operation = models.OneToOneField(Operation, on_delete=models.CASCADE, related_name="policy_action")
    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    reason = models.CharField(max_length=200)
    saving_per_hour = models.DecimalField(max_digits=12, decimal_places=4)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.policy}: {self.get_kind_display()} {self.endpoint} ({self.reason})"
