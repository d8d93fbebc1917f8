"""The mirror of the remote endpoints and their status timeline."""

from decimal import Decimal

from django.db import models
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Greatest

from endpoints_app.engines import Engine
from endpoints_app.models.credentials import Namespace


class EndpointStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    INITIALIZING = "initializing", "Initializing"
    UPDATING = "updating", "Updating"
    UPDATE_FAILED = "updateFailed", "Update failed"
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    FAILED = "failed", "Failed"
    SCALED_TO_ZERO = "scaledToZero", "Scaled to zero"


# States that will change on their own: the list page polls while any endpoint is in one of them.
TRANSITIONAL_STATUSES = frozenset(
    {EndpointStatus.PENDING, EndpointStatus.INITIALIZING, EndpointStatus.UPDATING}
)
# States in which the service bills the endpoint's replicas (updating keeps the old replicas serving).
BILLED_STATUSES = frozenset({EndpointStatus.INITIALIZING, EndpointStatus.RUNNING, EndpointStatus.UPDATING})
# "Billed now": the endpoint exists and is in a billed state (`Endpoint.is_billed_now`, in SQL).
BILLED_NOW = Q(is_gone=False, status__in=BILLED_STATUSES)
# `Endpoint.hourly_burn`, in SQL: the price times the billed replicas of `billed_replicas()` (the ones
# starting or serving, at least one); nothing for an endpoint whose price is unknown.
HOURLY_BURN = Case(
    When(
        BILLED_NOW,
        price_per_hour__isnull=False,
        then=F("price_per_hour") * Greatest("target_replica", "ready_replica", Value(1)),
    ),
    default=Value(Decimal(0)),
    output_field=DecimalField(max_digits=14, decimal_places=4),
)


class Tag(models.Model):
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EndpointQuerySet(models.QuerySet):
    def billed_now(self) -> "EndpointQuerySet":
        return self.filter(BILLED_NOW)

    def count_and_burn_rate(self) -> tuple[int, Decimal]:
        """How many endpoints the selection has, and what its billed ones cost per hour now (one query)."""
        totals = self.order_by().aggregate(count=Count("pk"), burn=Sum(HOURLY_BURN))
        return totals["count"], totals["burn"] or Decimal(0)

    def counts_by_status_and_burn_rate(self) -> tuple[dict[str, int], Decimal]:
        """How many endpoints of each status the selection has, and what its billed ones cost per hour now
        (one query)."""
        rows = list(self.order_by().values_list("status").annotate(n=Count("pk"), burn=Sum(HOURLY_BURN)))
        counts = {status: count for status, count, _ in rows}
        return counts, sum((burn or Decimal(0) for *_, burn in rows), Decimal(0))


class Endpoint(models.Model):
    """One remote Inference Endpoint as last seen by a sync or an operation (the raw JSON is kept)."""

    namespace = models.ForeignKey(Namespace, on_delete=models.CASCADE, related_name="endpoints")
    name = models.CharField(max_length=32)
    status = models.CharField(max_length=20, choices=EndpointStatus.choices)
    status_message = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    endpoint_type = models.CharField(max_length=20, default="authenticated")
    repository = models.CharField(max_length=200)
    revision = models.CharField(max_length=100, blank=True)
    task = models.CharField(max_length=64, blank=True)
    framework = models.CharField(max_length=32, blank=True)
    image = models.CharField(max_length=300, blank=True, help_text="Custom image URL, or 'huggingface'.")
    engine = models.CharField(max_length=16, choices=Engine.choices, default=Engine.TOOLKIT)
    health_route = models.CharField(max_length=200, default="/health")
    vendor = models.CharField(max_length=32)
    region = models.CharField(max_length=64)
    accelerator = models.CharField(max_length=16)
    instance_type = models.CharField(max_length=64)
    instance_size = models.CharField(max_length=16)
    min_replica = models.PositiveIntegerField(default=0)
    max_replica = models.PositiveIntegerField(default=1)
    scale_to_zero_timeout = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes.")
    ready_replica = models.PositiveIntegerField(default=0)
    target_replica = models.PositiveIntegerField(default=0)
    price_per_hour = models.DecimalField(
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Per replica, from the provider list.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="endpoints")
    created_by_name = models.CharField(max_length=96, blank=True)
    updated_by_name = models.CharField(max_length=96, blank=True)
    remote_created_at = models.DateTimeField(null=True, blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict)
    is_gone = models.BooleanField(default=False, help_text="Deleted remotely (or from the console).")
    gone_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["namespace__name", "name"]
        constraints = [models.UniqueConstraint(fields=["namespace", "name"], name="one_endpoint_per_name")]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["is_gone", "status"]),
            models.Index(fields=["repository"]),
            # The list's filter choices read the distinct tasks and vendors from these alone (endpoints_app/
            # forms/filters.py): 1.9 -> 1.0 ms with 1,000 endpoints, where the table was scanned and sorted.
            models.Index(fields=["task"]),
            models.Index(fields=["vendor"]),
        ]
        permissions = [
            ("operate_endpoint", "Can create, update, pause, resume and scale endpoints"),
            ("remove_endpoint", "Can delete endpoints"),
            ("manage_credentials", "Can add, replace and remove Hugging Face tokens"),
            ("manage_policies", "Can edit billing policies and exclusions"),
            ("use_playground", "Can use the playground"),
        ]

    def __str__(self) -> str:
        return f"{self.namespace.name}/{self.name}"

    @property
    def full_name(self) -> str:
        return f"{self.namespace.name}/{self.name}"

    @property
    def is_transitional(self) -> bool:
        return self.status in TRANSITIONAL_STATUSES

    @property
    def is_billed_now(self) -> bool:
        return not self.is_gone and self.status in BILLED_STATUSES

    @property
    def hourly_burn(self) -> Decimal:
        """What the endpoint costs per hour right now: billed replicas times the price."""
        if not self.is_billed_now or self.price_per_hour is None:
            return Decimal(0)
        return self.price_per_hour * billed_replicas(self.status, self.target_replica, self.ready_replica)


def billed_replicas(status: str, target_replica: int, ready_replica: int) -> int:
    """Replicas the service bills in a state: the ones starting or serving, at least one while billed."""
    if status not in BILLED_STATUSES:
        return 0
    return max(target_replica, ready_replica, 1)


class StatusEvent(models.Model):
    """A change of an endpoint's status, billed replicas or price: the timeline cost accounting integrates."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="status_events")
    at = models.DateTimeField(db_index=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    replicas = models.PositiveIntegerField(default=0, help_text="Billed replicas from this moment on.")
    price_per_hour = models.DecimalField(
        max_digits=10, decimal_places=4, null=True, blank=True, help_text="Per replica, from this moment on."
    )
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["endpoint", "at", "id"]
        indexes = [models.Index(fields=["endpoint", "at"])]

    def __str__(self) -> str:
        return f"{self.endpoint}: {self.from_status or '∅'} → {self.to_status} at {self.at:%Y-%m-%d %H:%M:%S}"
