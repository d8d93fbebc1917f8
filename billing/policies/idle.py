"""Idle pause: pause a running endpoint nobody used for N minutes.

Used means playground requests or a request count that went up in its /metrics. The idle time counts from
the last use or from when it last became running, whichever is later: an endpoint someone just resumed is
not paused again at once for what happened before.
"""

from datetime import datetime, timedelta

from billing.durations import duration_text
from billing.models import Policy
from billing.policies.plan import Plan, sort_out
from billing.scope import endpoints_in_scope
from billing.timeline import ready_since
from endpoints_app.models import Endpoint, EndpointStatus


def describe(policy: Policy) -> str:
    return f"Pause running endpoints after {policy.idle_minutes} min without activity."


def idle_since(endpoint: Endpoint) -> datetime | None:
    """The later of its last activity and its becoming running; None when it has never been running."""
    ready, used = ready_since(endpoint), endpoint.last_activity_at
    if ready is None or used is None:
        return ready
    return max(ready, used)


def plan(policy: Policy, now: datetime) -> Plan:
    limit = timedelta(minutes=policy.idle_minutes)
    candidates = []
    for endpoint in endpoints_in_scope(policy).filter(status=EndpointStatus.RUNNING):
        since = idle_since(endpoint)
        if since is not None and now - since >= limit:
            reason = f"no activity for {duration_text(now - since)} (limit {duration_text(limit)})"
            candidates.append((endpoint, reason))
    return sort_out(policy, now, candidates)
