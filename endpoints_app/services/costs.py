"""Costs read from the mirror: what an endpoint has cost so far, and what the running ones cost per hour.

A first estimate for the pages, at the endpoint's current price: the billing app does the full accounting.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from endpoints_app.models import Endpoint, StatusEvent
from endpoints_app.models.endpoints import BILLED_STATUSES, billed_replicas

SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True)
class CostSoFar:
    replica_hours: Decimal
    amount: Decimal | None  # None while the price of the endpoint's hardware is unknown


def billed_replica_hours(events: Sequence[StatusEvent], until: datetime) -> Decimal:
    """Replica-hours billed along a timeline: each event's replicas until the next event (or `until`)."""
    replica_seconds = Decimal(0)
    for index, event in enumerate(events):
        end = events[index + 1].at if index + 1 < len(events) else until
        seconds = max(0.0, (end - event.at).total_seconds())
        replica_seconds += Decimal(event.replicas) * Decimal(str(seconds))
    return replica_seconds / SECONDS_PER_HOUR


def cost_so_far(endpoint: Endpoint, events: Sequence[StatusEvent], now: datetime | None = None) -> CostSoFar:
    """Price per replica-hour times the replica-hours of the timeline (`events` in time order)."""
    hours = billed_replica_hours(events, now or timezone.now())
    amount = None if endpoint.price_per_hour is None else endpoint.price_per_hour * hours
    return CostSoFar(replica_hours=hours, amount=amount)


def burn_rate(endpoints: QuerySet[Endpoint]) -> Decimal:
    """What the billed endpoints among `endpoints` cost per hour right now."""
    billed = endpoints.filter(is_gone=False, status__in=BILLED_STATUSES, price_per_hour__isnull=False)
    rows = billed.values_list("status", "target_replica", "ready_replica", "price_per_hour")
    return sum(
        (price * billed_replicas(status, target, ready) for status, target, ready, price in rows), Decimal(0)
    )
