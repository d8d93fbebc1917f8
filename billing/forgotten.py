"""Forgotten endpoints: running, and unused for longer than BILLING_FORGOTTEN_AFTER_HOURS."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from billing.costs import cost_between
from billing.policies.idle import idle_since
from billing.timeline import billed_since
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
    """Most expensive first."""
    limit = timedelta(hours=settings.BILLING_FORGOTTEN_AFTER_HOURS)
    found = []
    running = Endpoint.objects.filter(is_gone=False, status=EndpointStatus.RUNNING).select_related(
        "namespace"
    )
    for endpoint in running:
        idle, since = idle_since(endpoint), billed_since(endpoint)
        if idle is None or since is None or now - idle <= limit:
            continue
        cost = cost_between([endpoint], since, now)[endpoint.pk]
        found.append(ForgottenEndpoint(endpoint, idle, since, cost))
    return sorted(found, key=lambda item: (-item.cost_so_far, item.endpoint.full_name))
