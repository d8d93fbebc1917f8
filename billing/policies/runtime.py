"""Max runtime: pause an endpoint billed for more than N hours without a break (initializing counts)."""

from datetime import datetime, timedelta

from billing.durations import duration_text
from billing.models import Policy
from billing.policies.plan import Plan, sort_out
from billing.scope import endpoints_in_scope
from billing.timeline import with_timeline_marks


def describe(policy: Policy) -> str:
    return f"Pause endpoints running for more than {policy.max_runtime_hours.normalize():f} h in a row."


def plan(policy: Policy, now: datetime) -> Plan:
    limit = timedelta(hours=float(policy.max_runtime_hours))
    candidates = []
    for endpoint in with_timeline_marks(endpoints_in_scope(policy).billed_now()):
        since = endpoint.billed_since
        if since is not None and now - since >= limit:
            reason = f"running for {duration_text(now - since)} (limit {duration_text(limit)})"
            candidates.append((endpoint, reason))
    return sort_out(policy, now, candidates)
