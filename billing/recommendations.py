"""Recommendations for the Overview: settings and coverage that leave money on the table."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from billing.costs import HOURS_PER_DAY, price_of
from billing.models import Exclusion, Policy, PolicyKind
from billing.scope import endpoints_covered_by
from endpoints_app.models import Endpoint

# Kinds that stop an unused endpoint (a budget only stops it when the money is spent).
PAUSING_KINDS = (PolicyKind.IDLE_PAUSE, PolicyKind.OFF_HOURS, PolicyKind.MAX_RUNTIME)


@dataclass(frozen=True)
class Recommendation:
    endpoint: Endpoint
    advice: str
    saving_per_day: Decimal | None  # at most, when the advice applies all day


def recommendations(now: datetime) -> list[Recommendation]:
    """Six queries whatever the number of endpoints."""
    billed = Endpoint.objects.billed_now().select_related("namespace").defer("raw")
    return [*_always_on(billed), *_uncovered(billed, now)]


def _always_on(billed: QuerySet[Endpoint]) -> list[Recommendation]:
    return [
        Recommendation(
            endpoint,
            f"Keeps {endpoint.min_replica} replica(s) up around the clock. Set min replicas to 0 with a "
            "scale-to-zero timeout so that it stops billing while nobody uses it.",
            price_of(endpoint) * endpoint.min_replica * HOURS_PER_DAY,
        )
        for endpoint in billed.filter(min_replica__gte=1)
    ]


def _uncovered(billed: QuerySet[Endpoint], now: datetime) -> list[Recommendation]:
    pausing = Policy.objects.filter(enabled=True, kind__in=PAUSING_KINDS).prefetch_related(
        "namespaces", "tags", "endpoints"
    )
    covered = endpoints_covered_by(pausing).values("pk")
    kept_running = Exclusion.objects.active(now).values("endpoint_id")
    return [
        Recommendation(
            endpoint,
            "No idle, off-hours or max-runtime policy covers it: if it is forgotten, nothing pauses it.",
            None,
        )
        for endpoint in billed.exclude(pk__in=covered).exclude(pk__in=kept_running)
    ]
