"""Off-hours schedule: pause at a time and optionally resume at another, on chosen weekdays, in a time zone,
except on skip dates (holidays).

Pauses and resumes happen at moments on the chosen weekdays. After a pause moment, and until the next
resume, the policy pauses the endpoints in scope that have been billed since before that moment: one that a
person resumes or creates during the off hours stays up, and a console that was down at the pause moment
catches up. After a resume moment it resumes the endpoints it paused in the off hours that just ended,
unless someone acted on them since (their last operation is still the policy's pause).
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from billing.costs import ZERO, running_burn
from billing.models import Policy, PolicyAction
from billing.policies.plan import Plan, sort_out
from billing.scope import active_exclusions, endpoints_in_scope
from billing.timeline import with_timeline_marks
from endpoints_app.models import Endpoint, EndpointStatus, Operation, OperationKind, OperationState

# Skip dates and a single weekday can leave long gaps; further than this, a moment is too old to act on.
SEARCH_DAYS = 14
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe(policy: Policy) -> str:
    days = ", ".join(WEEKDAY_NAMES[day] for day in sorted(policy.weekdays))
    resume = f", resume at {policy.resume_at:%H:%M}" if policy.resume_at else ""
    return f"Pause at {policy.pause_at:%H:%M}{resume} ({policy.time_zone}) on {days}."


def plan(policy: Policy, now: datetime) -> Plan:
    paused_at = latest_moment(policy, policy.pause_at, now)
    resumed_at = latest_moment(policy, policy.resume_at, now)
    if paused_at is not None and (resumed_at is None or resumed_at < paused_at):
        reason = f"off hours since {_local(policy, paused_at)}"
        result = sort_out(
            policy, now, ((endpoint, reason) for endpoint in _running_since_before(policy, paused_at))
        )
    elif paused_at is not None and resumed_at is not None:
        reason = f"working hours since {_local(policy, resumed_at)}"
        to_resume = ((endpoint, reason) for endpoint in paused_by(policy, since=paused_at))
        result = sort_out(policy, now, to_resume, kind=OperationKind.RESUME, respect_exclusions=False)
    else:
        result = Plan(policy, now)
    result.saving_per_day = daily_saving(policy, now, paused_at)
    result.notes.append(_upcoming(policy, now))
    return result


def latest_moment(policy: Policy, at: time | None, now: datetime) -> datetime | None:
    """The last scheduled moment at local time `at` that is not after `now`."""
    if at is None:
        return None
    for day in _scheduled_days(policy, _local_date(policy, now), step=-1):
        moment = datetime.combine(day, at, tzinfo=policy.zone)
        if moment <= now:
            return moment
    return None


def next_moment(policy: Policy, at: time | None, now: datetime) -> datetime | None:
    """The first scheduled moment at local time `at` after `now`."""
    if at is None:
        return None
    for day in _scheduled_days(policy, _local_date(policy, now), step=1):
        moment = datetime.combine(day, at, tzinfo=policy.zone)
        if moment > now:
            return moment
    return None


def _scheduled_days(policy: Policy, start: date, step: int) -> Iterator[date]:
    skipped = set(policy.skip_dates)
    for offset in range(SEARCH_DAYS + 1):
        day = start + timedelta(days=offset * step)
        if day.weekday() in policy.weekdays and day.isoformat() not in skipped:
            yield day


def _local_date(policy: Policy, moment: datetime) -> date:
    return moment.astimezone(policy.zone).date()


def _local(policy: Policy, moment: datetime) -> str:
    return f"{moment.astimezone(policy.zone):%a %d %b %H:%M} ({policy.time_zone})"


def _running_since_before(policy: Policy, moment: datetime) -> Iterator[Endpoint]:
    for endpoint in with_timeline_marks(endpoints_in_scope(policy).billed_now()):
        since = endpoint.billed_since
        if since is not None and since < moment:
            yield endpoint


def paused_by(policy: Policy, *, since: datetime) -> list[Endpoint]:
    """Endpoints the policy paused since `since` that are still paused and that nobody acted on after."""
    actions = PolicyAction.objects.filter(
        policy=policy, kind=OperationKind.PAUSE, at__gte=since, operation__state=OperationState.SUCCEEDED
    ).select_related("endpoint__namespace")
    untouched = []
    for action in actions:
        endpoint = action.endpoint
        if endpoint.is_gone or endpoint.status != EndpointStatus.PAUSED:
            continue
        last_operation = (
            Operation.objects.filter(namespace_id=endpoint.namespace_id, endpoint_name=endpoint.name)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if last_operation == action.operation_id:
            untouched.append(endpoint)
    return untouched


def daily_saving(policy: Policy, now: datetime, paused_at: datetime | None) -> Decimal:
    """The off hours per day times the burn of the endpoints the schedule manages: those billed now (and not
    kept running) and those it paused and will resume."""
    billed = list(endpoints_in_scope(policy).billed_now())
    kept = active_exclusions(billed, now)
    managed = {endpoint.pk: endpoint for endpoint in billed if endpoint.pk not in kept}
    if paused_at is not None:
        managed.update({endpoint.pk: endpoint for endpoint in paused_by(policy, since=paused_at)})
    burn = sum((running_burn(endpoint) for endpoint in managed.values()), ZERO)
    return burn * off_hours_per_day(policy)


def off_hours_per_day(policy: Policy) -> Decimal:
    """Average off hours per day over a week (skip dates aside): from each pause to the next resume, or to
    midnight when the policy never resumes, cut short by the next pause."""
    pauses = _week_minutes(policy.weekdays, policy.pause_at)
    resumes = _week_minutes(policy.weekdays, policy.resume_at) if policy.resume_at else []
    total = 0
    for start in pauses:
        end = _next_after(start, resumes) if resumes else (start // MINUTES_PER_DAY + 1) * MINUTES_PER_DAY
        total += min(end, _next_after(start, pauses)) - start
    return Decimal(total) / 60 / 7


def _week_minutes(weekdays: list[int], at: time) -> list[int]:
    return sorted(day * MINUTES_PER_DAY + at.hour * 60 + at.minute for day in weekdays)


def _next_after(start: int, moments: list[int]) -> int:
    later = [moment for moment in moments if moment > start]
    return min(later) if later else min(moments) + MINUTES_PER_WEEK


def _upcoming(policy: Policy, now: datetime) -> str:
    """'Next: resume Mon 30 Nov 08:00 (Europe/Paris), pause Mon 30 Nov 19:00 (Europe/Paris).'"""
    moments = [
        (moment, verb)
        for verb, at in (("pause", policy.pause_at), ("resume", policy.resume_at))
        if (moment := next_moment(policy, at, now)) is not None
    ]
    if not moments:
        return "Nothing scheduled in the next two weeks."
    return "Next: " + ", ".join(f"{verb} {_local(policy, moment)}" for moment, verb in sorted(moments)) + "."
