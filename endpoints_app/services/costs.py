"""What the billed endpoints of a selection cost per hour now (the billing app does the full accounting)."""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Greatest

from endpoints_app.models import Endpoint
from endpoints_app.models.endpoints import BILLED_STATUSES

BILLED_NOW = Q(is_gone=False, status__in=BILLED_STATUSES, price_per_hour__isnull=False)
# The billed replicas of `billed_replicas()`, in SQL: the ones starting or serving, at least one.
HOURLY_BURN = Case(
    When(BILLED_NOW, then=F("price_per_hour") * Greatest("target_replica", "ready_replica", Value(1))),
    default=Value(Decimal(0)),
    output_field=DecimalField(max_digits=14, decimal_places=4),
)


def count_and_burn_rate(endpoints: QuerySet[Endpoint]) -> tuple[int, Decimal]:
    """How many endpoints the selection has, and what its billed ones cost per hour now (one query)."""
    totals = endpoints.order_by().aggregate(count=Count("pk"), burn=Sum(HOURLY_BURN))
    return totals["count"], totals["burn"] or Decimal(0)


def burn_rate(endpoints: QuerySet[Endpoint]) -> Decimal:
    """What the billed endpoints among `endpoints` cost per hour right now."""
    return count_and_burn_rate(endpoints)[1]
