"""Notice before an automatic pause: a policy with `notice_minutes` warns before it pauses an endpoint, and
pauses it only once the notice has run out.

Each enforcement run also asks the policy what it would do `notice_minutes` from now, so that an endpoint is
warned ahead of the policy's own moment (an idle limit reached, an off-hours pause time) and paused then. An
endpoint the policy would pause now but that was never warned (the policy was just switched on, the
console was down) is warned now and paused after the notice. A warning ends when the endpoint is paused, when
someone keeps it running from the warning's link (a 'keep running' mark for the policy's hours), or when the
policy no longer means to pause it (it was used again, someone paused it by hand).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing import notifications, services
from billing.durations import duration_text
from billing.models import Notification, PauseWarning, Policy
from billing.policies import plan_for
from billing.policies.plan import Plan, PlannedAction
from endpoints_app import roles
from endpoints_app.models import Endpoint, OperationKind
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


def notice_of(policy: Policy) -> timedelta:
    return timedelta(minutes=policy.notice_minutes)


def _pauses(plan: Plan) -> dict[int, PlannedAction]:
    return {action.endpoint.pk: action for action in plan.actions if action.kind == OperationKind.PAUSE}


def _coming_pauses(policy: Policy, plan: Plan) -> dict[int, PlannedAction]:
    """The pauses the policy plans now, and those it would plan once the notice has run out."""
    ahead = _pauses(plan_for(policy, plan.now + notice_of(policy)))
    return {**ahead, **_pauses(plan)}


def due_now(policy: Policy, plan: Plan, now: datetime) -> list[PlannedAction]:
    """The plan's actions to carry out now. Gives the notices that are due and withdraws those of endpoints
    the policy no longer means to pause; a pause is due only once its endpoint's notice has run out."""
    if not policy.notice_minutes:
        return plan.actions
    waiting = {warning.endpoint_id: warning for warning in PauseWarning.objects.open().filter(policy=policy)}
    pauses_now = _pauses(plan)
    due = [action for action in plan.actions if action.kind != OperationKind.PAUSE]
    for endpoint_id, action in _coming_pauses(policy, plan).items():
        warning = waiting.pop(endpoint_id, None)
        if warning is None:
            _warn(policy, action, now)
        elif endpoint_id in pauses_now and warning.pause_after <= now:
            due.append(action)
    for warning in waiting.values():
        _end(warning, PauseWarning.Outcome.WITHDRAWN, now)
    return due


def paused(policy: Policy, endpoint: Endpoint, now: datetime) -> None:
    """Ends the endpoint's warning once the policy asked for its pause."""
    warning = PauseWarning.objects.open().filter(policy=policy, endpoint=endpoint).first()
    if warning is not None:
        _end(warning, PauseWarning.Outcome.PAUSED, now)


def _end(warning: PauseWarning, outcome: str, now: datetime) -> None:
    warning.outcome, warning.ended_at = outcome, now
    warning.save(update_fields=["outcome", "ended_at"])


def _warn(policy: Policy, action: PlannedAction, now: datetime) -> PauseWarning | None:
    """Records the warning and sends its notification; None when a concurrent run gave it already."""
    pause_after = now + notice_of(policy)
    try:
        with transaction.atomic():
            warning = PauseWarning.objects.create(
                policy=policy,
                endpoint=action.endpoint,
                reason=action.reason,
                warned_at=now,
                pause_after=pause_after,
            )
            warning.notification = notifications.notify(
                kind=Notification.Kind.PAUSE_WARNING,
                level=Notification.Level.WARNING,
                title=f"{action.endpoint.full_name} will be paused in {duration_text(pause_after - now)}",
                body=_warning_text(warning),
                endpoint=action.endpoint,
                policy=policy,
            )
            warning.save(update_fields=["notification"])
    except IntegrityError:
        return None
    return warning


def _warning_text(warning: PauseWarning) -> str:
    policy = warning.policy
    moment = timezone.localtime(warning.pause_after)
    return (
        f"{policy.name}: {warning.reason}. It will be paused after {moment:%H:%M} ({moment:%Z}) "
        f"and saves ${warning.endpoint.hourly_burn:,.2f} per hour. "
        f"To keep it running for {policy.keep_running_hours} h, open "
        f"{settings.CONSOLE_URL}{warning.get_absolute_url()}"
    )


@transaction.atomic
def keep_running(actor: Actor, warning: PauseWarning) -> PauseWarning:
    """The warning's link: a 'keep running' mark for the policy's hours (a second click keeps the first)."""
    roles.require(actor, roles.OPERATE, "Only operators and admins may keep an endpoint running.")
    warning = (
        PauseWarning.objects.select_for_update()
        .select_related("policy", "endpoint__namespace")
        .get(pk=warning.pk)
    )
    if warning.outcome == PauseWarning.Outcome.KEPT:
        return warning
    if not warning.is_open:
        raise ActionRefused(f"This warning has ended: {warning.get_outcome_display().lower()}.")
    now = timezone.now()
    policy = warning.policy
    warning.exclusion = services.record_exclusion(
        actor,
        warning.endpoint,
        f"kept running from the warning of {policy.name}",
        now + timedelta(hours=policy.keep_running_hours),
    )
    warning.outcome, warning.ended_at = PauseWarning.Outcome.KEPT, now
    warning.save(update_fields=["exclusion", "outcome", "ended_at"])
    return warning


@dataclass(frozen=True)
class Notice:
    """For the dry run: when an endpoint is (or would be) warned, and paused at the earliest."""

    endpoint: Endpoint
    warned_at: datetime
    pause_after: datetime
    given: bool  # False: the warning would be given now


def preview(plan: Plan) -> list[Notice]:
    policy = plan.policy
    if not policy.notice_minutes:
        return []
    given = {warning.endpoint_id: warning for warning in PauseWarning.objects.open().filter(policy=policy)}
    notices = []
    for endpoint_id, action in _coming_pauses(policy, plan).items():
        warning = given.get(endpoint_id)
        if warning is not None:
            notices.append(Notice(action.endpoint, warning.warned_at, warning.pause_after, True))
        else:
            notices.append(Notice(action.endpoint, plan.now, plan.now + notice_of(policy), False))
    return sorted(notices, key=lambda notice: (notice.pause_after, notice.endpoint.full_name))
