"""Monthly budget: alert once per threshold and month; optionally pause the scope's endpoints at 100%.

The scope's spend includes endpoints deleted during the month. While the spend is at or above the budget,
an endpoint someone resumes is paused again unless it is marked 'keep running'.
"""

from datetime import datetime
from decimal import Decimal

from billing.costs import ZERO, hours, month_to_date, to_cents
from billing.models import BudgetAlert, Policy
from billing.periods import month_of
from billing.policies.plan import BudgetStatus, Plan, sort_out
from billing.scope import endpoints_in_scope


def describe(policy: Policy) -> str:
    thresholds = ", ".join(f"{threshold}%" for threshold in policy.alert_thresholds)
    pause = "; pause at 100%" if policy.pause_at_limit else ""
    return f"${policy.monthly_budget:,.2f} a month; alerts at {thresholds}{pause}."


def plan(policy: Policy, now: datetime) -> Plan:
    status = budget_status(policy, now)
    candidates = []
    if policy.pause_at_limit and status.spent >= status.budget:
        reason = f"monthly budget reached: ${status.spent:,.2f} of ${status.budget:,.2f}"
        in_scope = endpoints_in_scope(policy).billed_now()
        candidates = [(endpoint, reason) for endpoint in in_scope]
    result = sort_out(policy, now, candidates)
    result.budget = status
    result.notes.append(
        f"Spent ${status.spent:,.2f} of ${status.budget:,.2f} this month ({status.percent}%); "
        f"${status.projected:,.2f} by the end of the month at the current burn rate."
    )
    return result


def budget_status(policy: Policy, now: datetime) -> BudgetStatus:
    period = month_of(now)
    endpoints = list(endpoints_in_scope(policy, include_gone=True))
    spent = sum(month_to_date(endpoints, now).values(), ZERO)
    burn = sum((endpoint.hourly_burn for endpoint in endpoints), ZERO)
    budget: Decimal = policy.monthly_budget
    crossed = {threshold for threshold in policy.alert_thresholds if spent * 100 >= budget * threshold}
    alerted = set(
        BudgetAlert.objects.filter(policy=policy, month=period.first_day).values_list("threshold", flat=True)
    )
    return BudgetStatus(
        month=period.first_day,
        budget=budget,
        spent=spent,
        projected=to_cents(spent + burn * hours(period.end - now)),
        new_thresholds=tuple(sorted(crossed - alerted)),
    )
