"""Enforcing the enabled policies: each planned action becomes an Operation requested through the services
with an automatic actor (so it has its audit entries), and budget thresholds become alerts, once each."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing import notifications, warnings
from billing.models import BudgetAlert, Policy, PolicyAction
from billing.policies import plan_for
from billing.policies.plan import BudgetStatus, Plan, PlannedAction
from endpoints_app.models import Endpoint, Operation, OperationKind
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused

logger = logging.getLogger(__name__)
REASON_LENGTH = 200  # Operation.automatic_reason


@dataclass
class Enforcement:
    plan: Plan
    requested: list[Operation] = field(default_factory=list)
    refused: list[tuple[Endpoint, str]] = field(default_factory=list)
    alerted: list[int] = field(default_factory=list)


def enabled_policies() -> list[Policy]:
    return list(Policy.objects.filter(enabled=True).prefetch_related("namespaces", "tags", "endpoints"))


def dry_run(policies: list[Policy] | None = None, now: datetime | None = None) -> list[Plan]:
    """What the policies would do now; nothing is changed."""
    moment = now or timezone.now()
    return [plan_for(policy, moment) for policy in (enabled_policies() if policies is None else policies)]


def enforce_all(now: datetime | None = None) -> list[Enforcement]:
    """Enforces every enabled policy; one that fails is logged and does not stop the others."""
    moment = now or timezone.now()
    results = []
    for policy in enabled_policies():
        try:
            results.append(enforce(policy, moment))
        except Exception:
            logger.exception("Enforcing the policy %s failed.", policy.name)
    return results


def enforce(policy: Policy, now: datetime) -> Enforcement:
    result = Enforcement(plan_for(policy, now))
    for action in warnings.due_now(policy, result.plan, now):
        try:
            result.requested.append(_request(policy, action, now))
        except ActionRefused as refusal:
            logger.info("Policy %s could not act on %s: %s", policy.name, action.endpoint, refusal)
            result.refused.append((action.endpoint, str(refusal)))
    if result.plan.budget is not None and result.plan.budget.new_thresholds:
        result.alerted = _alert(policy, result.plan.budget, now)
    return result


def _request(policy: Policy, action: PlannedAction, now: datetime) -> Operation:
    reason = f"{policy.name}: {action.reason}"[:REASON_LENGTH]
    actor = Actor.automatic(reason)
    if action.kind == OperationKind.RESUME:
        operation = operations.resume_endpoint(actor, action.endpoint)
    else:
        operation = operations.pause_endpoint(actor, action.endpoint)
    PolicyAction.objects.create(
        policy=policy,
        endpoint=action.endpoint,
        operation=operation,
        kind=action.kind,
        reason=reason,
        saving_per_hour=action.saving_per_hour,
        at=now,
    )
    warnings.paused(policy, action.endpoint, now)
    return operation


def _alert(policy: Policy, status: BudgetStatus, now: datetime) -> list[int]:
    """Records the newly crossed thresholds (a concurrent run may have recorded some) and sends one
    notification for the highest of those this run recorded."""
    recorded = []
    for threshold in status.new_thresholds:
        try:
            with transaction.atomic():
                BudgetAlert.objects.create(
                    policy=policy, month=status.month, threshold=threshold, spent=status.spent, at=now
                )
        except IntegrityError:
            continue
        recorded.append(threshold)
    if recorded:
        notifications.budget_alert(policy, status, max(recorded))
    return recorded
