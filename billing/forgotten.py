"""Forgotten endpoints: running, and unused for longer than BILLING_FORGOTTEN_AFTER_HOURS."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from billing.costs import costs_since
from billing.policies.idle import with_idle_since
from billing.shortlists import PANEL_COLUMNS, Shortlist, first_of
from endpoints_app.models import Endpoint, EndpointStatus
from endpoints_app.models.endpoints import HOURLY_BURN


@dataclass(frozen=True)
class ForgottenEndpoint:
    endpoint: Endpoint
    idle_since: datetime
    running_since: datetime
    cost_so_far: Decimal  # since it started running this time

    @property
    def burn_per_hour(self) -> Decimal:
        return self.endpoint.hourly_burn


def forgotten_endpoints(now: datetime, limit: int | None = None) -> Shortlist[ForgottenEndpoint]:
    """The costliest per hour first (what pausing it saves), `limit` of them; three queries whatever the
    number of endpoints."""
    unused_since = now - timedelta(hours=settings.BILLING_FORGOTTEN_AFTER_HOURS)
    # Idle since a moment means no activity since then either: that cheap test leaves out the endpoints in
    # use (most of them) before the timeline's subqueries run for each row. Past it, idle since before the
    # moment is running since before it: the test reads one subquery where `idle_since` repeats it thrice.
    running = Endpoint.objects.filter(is_gone=False, status=EndpointStatus.RUNNING).filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=unused_since)
    )
    unused = (
        with_idle_since(running.select_related("namespace").only(*PANEL_COLUMNS))
        .filter(ready_since__lt=unused_since, billed_since__isnull=False)
        .annotate(burn=HOURLY_BURN)
        .order_by("-burn", "idle_since", "pk")
    )
    shown, total = first_of(unused, limit)
    costs = costs_since({endpoint: endpoint.billed_since for endpoint in shown}, now)
    rows = [
        ForgottenEndpoint(endpoint, endpoint.idle_since, endpoint.billed_since, costs[endpoint.pk])
        for endpoint in shown
    ]
    return Shortlist(rows, total)
