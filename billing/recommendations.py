"""Recommendations for the Overview: settings and coverage that leave money on the table."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F, QuerySet

from billing.costs import HOURS_PER_DAY, price_of
from billing.models import Exclusion, Policy, PolicyKind
from billing.scope import endpoints_covered_by
from billing.shortlists import PANEL_COLUMNS, Shortlist, first_of
from endpoints_app.models import Endpoint
from endpoints_app.models.endpoints import HOURLY_BURN

# Kinds that stop an unused endpoint (a budget only stops it when the money is spent).
PAUSING_KINDS = (PolicyKind.IDLE_PAUSE, PolicyKind.OFF_HOURS, PolicyKind.MAX_RUNTIME)


@dataclass(frozen=True)
class Recommendation:
    endpoint: Endpoint
    advice: str
    saving_per_day: Decimal | None  # at most, when the advice applies all day


def recommendations(now: datetime, limit: int | None = None) -> Shortlist[Recommendation]:
    """Always-on replicas (the largest saving first), then endpoints no pausing policy covers (the costliest
    first), up to `limit` of each; six queries whatever the number of endpoints."""
    billed = Endpoint.objects.billed_now().select_related("namespace").only(*PANEL_COLUMNS)
    always_on = billed.filter(min_replica__gte=1).order_by(
        (F("price_per_hour") * F("min_replica")).desc(nulls_last=True), "pk"
    )
    uncovered = _uncovered(billed, now).annotate(burn=HOURLY_BURN).order_by("-burn", "pk")
    (shown_always_on, always_on_total), (shown_uncovered, uncovered_total) = (
        first_of(always_on, limit),
        first_of(uncovered, limit),
    )
    rows = [_keep_fewer_replicas(endpoint) for endpoint in shown_always_on] + [
        _cover_with_a_policy(endpoint) for endpoint in shown_uncovered
    ]
    return Shortlist(rows, always_on_total + uncovered_total)


def _uncovered(billed: QuerySet[Endpoint], now: datetime) -> QuerySet[Endpoint]:
    pausing = Policy.objects.filter(enabled=True, kind__in=PAUSING_KINDS).prefetch_related(
        "namespaces", "tags", "endpoints"
    )
    covered = endpoints_covered_by(pausing).values("pk")
    kept_running = Exclusion.objects.active(now).values("endpoint_id")
    return billed.exclude(pk__in=covered).exclude(pk__in=kept_running)


def _keep_fewer_replicas(endpoint: Endpoint) -> Recommendation:
    return Recommendation(
        endpoint,
        f"Keeps {endpoint.min_replica} replica(s) up around the clock. Set min replicas to 0 with a "
        "scale-to-zero timeout so that it stops billing while nobody uses it.",
        price_of(endpoint) * endpoint.min_replica * HOURS_PER_DAY,
    )


def _cover_with_a_policy(endpoint: Endpoint) -> Recommendation:
    return Recommendation(
        endpoint,
        "No idle, off-hours or max-runtime policy covers it: if it is forgotten, nothing pauses it.",
        None,
    )
