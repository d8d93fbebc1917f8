"""The numbers of the overview page, read from the mirror: endpoints by status, burn rate, namespaces' sync
state and the latest operations."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from endpoints_app.models import Endpoint, EndpointStatus, HardwareOption, Namespace, Operation
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


def _count(rows: QuerySet) -> Coalesce:
    """How many rows of a namespace the query has, as a subquery: counting through joins would multiply the
    namespace's endpoints by its hardware options before counting them apart."""
    counted = rows.order_by().values("namespace").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def namespaces_with_counts() -> list[Namespace]:
    """Every namespace with `endpoint_count`, `hardware_count`, `hardware_refreshed_at` and `stale`."""
    hardware = HardwareOption.objects.filter(namespace=OuterRef("pk"))
    namespaces = list(
        Namespace.objects.select_related("credential").annotate(
            endpoint_count=_count(Endpoint.objects.filter(namespace=OuterRef("pk"), is_gone=False)),
            hardware_count=_count(hardware),
            hardware_refreshed_at=Subquery(hardware.order_by("-refreshed_at").values("refreshed_at")[:1]),
        )
    )
    for namespace in namespaces:
        namespace.stale = namespace.credential_id is not None and sync.is_stale(namespace)
    return namespaces


def fleet_summary() -> FleetSummary:
    counts, burn_rate = Endpoint.objects.filter(is_gone=False).counts_by_status_and_burn_rate()
    by_status = [
        StatusCount(status.value, status.label, counts[status.value])
        for status in EndpointStatus
        if counts.get(status.value)
    ]
    recent = Operation.objects.select_related("namespace", "requested_by", "endpoint")[:RECENT_OPERATIONS]
    return FleetSummary(
        total=sum(counts.values()),
        by_status=by_status,
        burn_rate=burn_rate,
        namespaces=namespaces_with_counts(),
        recent_operations=list(recent),
    )
