"""Recommendations for the Overview: settings and coverage that leave money on the table."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billing.costs import HOURS_PER_DAY, price_of
from billing.models import Exclusion, Policy, PolicyKind
from billing.scope import endpoints_in_scope
from endpoints_app.models import Endpoint

# Kinds that stop an unused endpoint (a budget only stops it when the money is spent).
PAUSING_KINDS = (PolicyKind.IDLE_PAUSE, PolicyKind.OFF_HOURS, PolicyKind.MAX_RUNTIME)


@dataclass(frozen=True)
class Recommendation:
    endpoint: Endpoint
    advice: str
    saving_per_day: Decimal | None  # at most, when the advice applies all day


def recommendations(now: datetime) -> list[Recommendation]:
    billed = list(Endpoint.objects.billed_now().select_related("namespace"))
    return [*_always_on(billed), *_uncovered(billed, now)]


def _always_on(billed: list[Endpoint]) -> list[Recommendation]:
    found = []
    for endpoint in billed:
        if endpoint.min_replica >= 1:
            found.append(
                Recommendation(
                    endpoint,
                    f"Keeps {endpoint.min_replica} replica(s) up around the clock. Set min replicas to 0 "
                    "with a scale-to-zero timeout so that it stops billing while nobody uses it.",
                    price_of(endpoint) * endpoint.min_replica * HOURS_PER_DAY,
                )
            )
    return found


def _uncovered(billed: list[Endpoint], now: datetime) -> list[Recommendation]:
    covered: set[int] = set()
    for policy in Policy.objects.filter(enabled=True, kind__in=PAUSING_KINDS):
        covered.update(endpoints_in_scope(policy).values_list("pk", flat=True))
    covered.update(Exclusion.objects.active(now).values_list("endpoint_id", flat=True))
    return [
        Recommendation(
            endpoint,
            "No idle, off-hours or max-runtime policy covers it: if it is forgotten, nothing pauses it.",
            None,
        )
        for endpoint in billed
        if endpoint.pk not in covered
    ]
