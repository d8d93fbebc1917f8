"""What a policy would do now: the common shape every policy kind returns, for dry runs and enforcement."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings

from billing.costs import HOURS_PER_DAY, ZERO, running_burn
from billing.models import Exclusion, Policy, PolicyAction
from billing.scope import active_exclusions
from endpoints_app.models import Endpoint, Operation, OperationKind
from endpoints_app.models.operations import ACTIVE_STATES, OperationState


@dataclass(frozen=True)
class PlannedAction:
    endpoint: Endpoint
    kind: str  # OperationKind.PAUSE or OperationKind.RESUME
    reason: str
    hourly_burn: Decimal  # what the endpoint costs per hour while running

    @property
    def saving_per_hour(self) -> Decimal:
        """A pause saves the burn; a resume spends it again (a negative saving)."""
        return self.hourly_burn if self.kind == OperationKind.PAUSE else -self.hourly_burn


@dataclass(frozen=True)
class KeptRunning:
    """An endpoint the policy would act on, left alone because of its 'keep running' mark."""

    endpoint: Endpoint
    reason: str
    exclusion: Exclusion


@dataclass(frozen=True)
class Skipped:
    """An endpoint the policy would act on by what it can see, left alone because it cannot see enough."""

    endpoint: Endpoint
    reason: str


@dataclass(frozen=True)
class BudgetStatus:
    month: date
    budget: Decimal
    spent: Decimal
    projected: Decimal
    new_thresholds: tuple[int, ...]  # crossed this month and not alerted yet

    @property
    def percent(self) -> Decimal:
        return (self.spent * 100 / self.budget).quantize(Decimal(1)) if self.budget else ZERO


@dataclass
class Plan:
    policy: Policy
    now: datetime
    actions: list[PlannedAction] = field(default_factory=list)
    kept: list[KeptRunning] = field(default_factory=list)
    in_progress: list[Endpoint] = field(default_factory=list)  # left to an operation already under way
    # Left alone because this policy's own action on them failed lately (POLICY_RETRY_AFTER_FAILURE_SECONDS).
    failed_lately: list[Endpoint] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    saving_per_day: Decimal = ZERO
    budget: BudgetStatus | None = None

    @property
    def saving_per_hour(self) -> Decimal:
        return sum((action.saving_per_hour for action in self.actions), ZERO)


def sort_out(
    policy: Policy,
    now: datetime,
    candidates: Iterable[tuple[Endpoint, str]],
    *,
    kind: str = OperationKind.PAUSE,
    respect_exclusions: bool = True,
) -> Plan:
    """Turns (endpoint, reason) candidates into a plan: excluded endpoints are kept running, endpoints with
    an operation in progress are left to it, and those the policy failed to act on lately are left alone; the
    rest become actions. Saving per day: a day of each paused endpoint's burn."""
    candidates = list(candidates)
    endpoints = [endpoint for endpoint, _ in candidates]
    exclusions = active_exclusions(endpoints, now) if respect_exclusions else {}
    in_progress_ids = set(
        Operation.objects.filter(endpoint__in=endpoints, state__in=ACTIVE_STATES).values_list(
            "endpoint_id", flat=True
        )
    )
    # This policy's own attempt failed lately (a token that may not pause, say): asking again every tick
    # would only repeat the failure, and its notifications.
    since = now - timedelta(seconds=settings.POLICY_RETRY_AFTER_FAILURE_SECONDS)
    failed_ids = set(
        PolicyAction.objects.filter(
            policy=policy, endpoint__in=endpoints, operation__state=OperationState.FAILED, at__gte=since
        ).values_list("endpoint_id", flat=True)
    )
    plan = Plan(policy, now)
    for endpoint, reason in candidates:
        if endpoint.pk in exclusions:
            plan.kept.append(KeptRunning(endpoint, reason, exclusions[endpoint.pk]))
        elif endpoint.pk in in_progress_ids:
            plan.in_progress.append(endpoint)
        elif endpoint.pk in failed_ids:
            plan.failed_lately.append(endpoint)
        else:
            plan.actions.append(PlannedAction(endpoint, kind, reason, running_burn(endpoint)))
    plan.saving_per_day = max(plan.saving_per_hour, ZERO) * HOURS_PER_DAY
    return plan
