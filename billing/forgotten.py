"""Forgotten endpoints: running, and unused for longer than BILLING_FORGOTTEN_AFTER_HOURS."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from billing.costs import costs_since
from billing.policies.idle import with_idle_since
from endpoints_app.models import Endpoint, EndpointStatus


@dataclass(frozen=True)
class ForgottenEndpoint:
    endpoint: Endpoint
    idle_since: datetime
    running_since: datetime
    cost_so_far: Decimal  # since it started running this time

    @property
    def burn_per_hour(self) -> Decimal:
        return self.endpoint.hourly_burn


def forgotten_endpoints(now: datetime) -> list[ForgottenEndpoint]:
    """Most expensive first; three queries whatever the number of endpoints."""
    limit = timedelta(hours=settings.BILLING_FORGOTTEN_AFTER_HOURS)
    running = Endpoint.objects.filter(is_gone=False, status=EndpointStatus.RUNNING)
    unused = list(
        with_idle_since(running.select_related("namespace").defer("raw")).filter(
            idle_since__lt=now - limit, billed_since__isnull=False
        )
    )
    costs = costs_since({endpoint: endpoint.billed_since for endpoint in unused}, now)
    found = [
        ForgottenEndpoint(endpoint, endpoint.idle_since, endpoint.billed_since, costs[endpoint.pk])
        for endpoint in unused
    ]
    return sorted(found, key=lambda item: (-item.cost_so_far, item.endpoint.full_name))
