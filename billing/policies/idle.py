"""Idle pause: pause a running endpoint nobody used for N minutes.

Used means playground requests or a request count that went up in its /metrics. The idle time counts from
the last use or from when it last became running, whichever is later: an endpoint someone just resumed is
not paused again at once for what happened before.
"""

from datetime import datetime, timedelta

from django.db.models import Case, F, QuerySet, When

from billing.durations import duration_text
from billing.models import Policy
from billing.policies.plan import Plan, sort_out
from billing.scope import endpoints_in_scope
from billing.timeline import with_timeline_marks
from endpoints_app.models import Endpoint, EndpointStatus


def describe(policy: Policy) -> str:
    return f"Pause running endpoints after {policy.idle_minutes} min without activity."


def with_idle_since(endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    """The endpoints with their timeline marks and `idle_since`: the later of their last activity and their
    becoming running, NULL for one that has never been running."""
    later_activity = When(last_activity_at__gt=F("ready_since"), then=F("last_activity_at"))
    return with_timeline_marks(endpoints).annotate(idle_since=Case(later_activity, default=F("ready_since")))


def plan(policy: Policy, now: datetime) -> Plan:
    limit = timedelta(minutes=policy.idle_minutes)
    running = endpoints_in_scope(policy).filter(status=EndpointStatus.RUNNING)
    idle = with_idle_since(running).filter(idle_since__lte=now - limit)
    reason = "no activity for {} (limit {})"
    candidates = [(e, reason.format(duration_text(now - e.idle_since), duration_text(limit))) for e in idle]
    return sort_out(policy, now, candidates)
