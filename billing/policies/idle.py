"""Idle pause: pause a running endpoint nobody used for N minutes.

Used means playground requests or a request count that went up in its activity signal (billing/metrics.py:
the service's open-metrics, else the engine's request counter). The idle time counts from the last use or
from when it last became running, whichever is later: an endpoint someone just resumed is not paused again
at once for what happened before.

An endpoint whose traffic cannot be seen (only the playground's is known, or its activity was never read) is
skipped, with why, unless the policy says to pause those too: an application may be calling it.
"""

from datetime import datetime, timedelta

from django.db.models import Case, F, QuerySet, When

from billing.durations import duration_text
from billing.models import MetricsReading, Policy
from billing.policies.plan import Plan, Skipped, sort_out
from billing.scope import endpoints_in_scope
from billing.timeline import with_timeline_marks
from endpoints_app.models import Endpoint, EndpointStatus


def describe(policy: Policy) -> str:
    unseen = "paused too" if policy.pause_unseen_traffic else "skipped"
    return (
        f"Pause running endpoints after {policy.idle_minutes} min without activity; "
        f"those whose traffic cannot be seen are {unseen}."
    )


def with_idle_since(endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    """The endpoints with their timeline marks and `idle_since`: the later of their last activity and their
    becoming running, NULL for one that has never been running."""
    later_activity = When(last_activity_at__gt=F("ready_since"), then=F("last_activity_at"))
    return with_timeline_marks(endpoints).annotate(idle_since=Case(later_activity, default=F("ready_since")))


def plan(policy: Policy, now: datetime) -> Plan:
    limit = timedelta(minutes=policy.idle_minutes)
    running = endpoints_in_scope(policy).filter(status=EndpointStatus.RUNNING)
    idle = with_idle_since(running).filter(idle_since__lte=now - limit).select_related("metrics_reading")
    candidates, skipped = [], []
    for endpoint in idle:
        reading = getattr(endpoint, "metrics_reading", None)
        idle_for = f"no activity for {duration_text(now - endpoint.idle_since)} (limit {duration_text(limit)}"
        if reading is not None and (reading.traffic_visible or policy.pause_unseen_traffic):
            candidates.append((endpoint, f"{idle_for}; read from {reading.signal_label})"))
        elif reading is None and policy.pause_unseen_traffic:
            candidates.append((endpoint, f"{idle_for}; its activity was never read)"))
        else:
            skipped.append(Skipped(endpoint, f"{idle_for}), but {unseen_because(reading)}"))
    result = sort_out(policy, now, candidates)
    result.skipped = skipped
    return result


def unseen_because(reading: MetricsReading | None) -> str:
    if reading is None:
        return "its activity has not been read yet"
    return f"only playground traffic can be seen ({reading.fallback_reason or 'no signal'})"
