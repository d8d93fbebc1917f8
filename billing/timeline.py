"""Reading the status timeline: how many replicas were billed, from when to when.

Each StatusEvent says how many replicas are billed from its moment on (0 when paused, scaled to zero, failed
or gone) and at what price per replica-hour, so what is billed at any moment is what the last event before it
says. Events recorded before the price was kept on them have no price: the endpoint's current one applies.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from endpoints_app.models import Endpoint, EndpointStatus, StatusEvent


@dataclass(frozen=True)
class BilledStretch:
    """[start, end) during which `replicas` replicas were billed at `price` each per hour (None: unknown)."""

    start: datetime
    end: datetime
    replicas: int
    price: Decimal | None = None


Billing = tuple[int, Decimal | None]  # (replicas, price) from a moment on


def billed_stretches(
    endpoint_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[BilledStretch]]:
    """The billed stretches of each endpoint inside [start, end), with two queries for all of them."""
    ids = list(endpoint_ids)
    opening = StatusEvent.objects.filter(endpoint=OuterRef("pk"), at__lt=start).order_by("-at", "-id")
    billing_at_start = {
        pk: (replicas or 0, price)
        for pk, replicas, price in Endpoint.objects.filter(pk__in=ids)
        .annotate(
            replicas=Subquery(opening.values("replicas")[:1]),
            opening_price=Subquery(opening.values("price_per_hour")[:1]),
        )
        .values_list("pk", "replicas", "opening_price")
    }
    changes: dict[int, list[tuple[datetime, Billing]]] = defaultdict(list)
    events = StatusEvent.objects.filter(endpoint_id__in=ids, at__gte=start, at__lt=end).order_by("at", "id")
    for endpoint_id, at, replicas, price in events.values_list(
        "endpoint_id", "at", "replicas", "price_per_hour"
    ):
        changes[endpoint_id].append((at, (replicas, price)))
    return {
        endpoint_id: _stretches(
            billing_at_start.get(endpoint_id, (0, None)), changes[endpoint_id], start, end
        )
        for endpoint_id in ids
    }


def _stretches(
    billing: Billing, changes: list[tuple[datetime, Billing]], start: datetime, end: datetime
) -> list[BilledStretch]:
    stretches, since = [], start
    for at, new_billing in changes:
        if new_billing == billing:
            continue  # a status change that bills the same (initializing -> running)
        if billing[0]:
            stretches.append(BilledStretch(since, at, *billing))
        billing, since = new_billing, at
    if billing[0] and end > since:
        stretches.append(BilledStretch(since, end, *billing))
    return stretches


def _billed_since() -> Subquery:
    """When the endpoint's current billed run began (initializing counts), NULL when it is not billed now: its
    first event that no event billing nothing follows (nor is)."""
    stop_at_or_after = StatusEvent.objects.filter(endpoint=OuterRef("endpoint"), replicas=0).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gte=OuterRef("id"))
    )
    run = StatusEvent.objects.filter(~Exists(stop_at_or_after), endpoint=OuterRef("pk")).order_by("at", "id")
    return Subquery(run.values("at")[:1])


def _ready_since() -> Subquery:
    """When the endpoint last became running (replica changes while running do not count)."""
    became_running = (
        StatusEvent.objects.filter(endpoint=OuterRef("pk"), to_status=EndpointStatus.RUNNING)
        .exclude(from_status=EndpointStatus.RUNNING)
        .order_by("-at", "-id")
    )
    return Subquery(became_running.values("at")[:1])


def with_timeline_marks(endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    """The endpoints with `billed_since` and `ready_since` (see above), read in the same query."""
    return endpoints.annotate(billed_since=_billed_since(), ready_since=_ready_since())


def billed_replicas_at(endpoint: Endpoint, moment: datetime) -> int:
    """The replicas billed at `moment` (0 before the first event)."""
    replicas = (
        StatusEvent.objects.filter(endpoint=endpoint, at__lte=moment)
        .order_by("-at", "-id")
        .values_list("replicas", flat=True)
        .first()
    )
    return replicas or 0
