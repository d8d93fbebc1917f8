"""The numbers of the overview page, read from the mirror: endpoints by status, burn rate, namespaces' sync
state and the latest operations."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q

from endpoints_app.models import Endpoint, EndpointStatus, Namespace, Operation
from endpoints_app.services import sync

RECENT_OPERATIONS = 10


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class FleetSummary:
    total: int
    by_status: list[StatusCount]
    burn_rate: Decimal
    namespaces: list[Namespace]
    recent_operations: list[Operation]

    @property
    def stale_namespaces(self) -> list[Namespace]:
        return [namespace for namespace in self.namespaces if namespace.stale]


def namespaces_with_counts() -> list[Namespace]:
    """Every namespace with `endpoint_count`, `hardware_count`, `hardware_refreshed_at` and `stale`."""
    namespaces = list(
        Namespace.objects.select_related("credential").annotate(
            endpoint_count=Count("endpoints", filter=Q(endpoints__is_gone=False), distinct=True),
            hardware_count=Count("hardware_options", distinct=True),
            hardware_refreshed_at=Max("hardware_options__refreshed_at"),
        )
    )
    for namespace in namespaces:
        namespace.stale = namespace.credential_id is not None and sync.is_stale(namespace)
    return namespaces


def fleet_summary() -> FleetSummary:
    present = Endpoint.objects.filter(is_gone=False)
    counts = dict(present.order_by().values_list("status").annotate(n=Count("pk")))
    by_status = [
        StatusCount(status.value, status.label, counts[status.value])
        for status in EndpointStatus
        if counts.get(status.value)
    ]
    recent = Operation.objects.select_related("namespace", "requested_by", "endpoint")[:RECENT_OPERATIONS]
    return FleetSummary(
        total=sum(counts.values()),
        by_status=by_status,
        burn_rate=present.burn_rate(),
        namespaces=namespaces_with_counts(),
        recent_operations=list(recent),
    )
