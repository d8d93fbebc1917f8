"""What the billed endpoints of a selection cost per hour now (the billing app does the full accounting)."""

from decimal import Decimal

from django.db.models import QuerySet

from endpoints_app.models import Endpoint
from endpoints_app.models.endpoints import BILLED_STATUSES, billed_replicas


def burn_rate(endpoints: QuerySet[Endpoint]) -> Decimal:
    """What the billed endpoints among `endpoints` cost per hour right now."""
    billed = endpoints.filter(is_gone=False, status__in=BILLED_STATUSES, price_per_hour__isnull=False)
    rows = billed.values_list("status", "target_replica", "ready_replica", "price_per_hour")
    return sum(
        (price * billed_replicas(status, target, ready) for status, target, ready, price in rows), Decimal(0)
    )
