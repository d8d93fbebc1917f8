"""The policy kinds, one module each, with a common shape: `plan(policy, now) -> Plan` says what the policy
would do now (used by dry runs and by enforcement alike), `describe(policy)` says what it does in a sentence.
"""

from datetime import datetime
from types import ModuleType

from billing.models import Policy, PolicyKind
from billing.policies import budget, idle, runtime, schedule
from billing.policies.plan import Plan

RULES: dict[str, ModuleType] = {
    PolicyKind.IDLE_PAUSE: idle,
    PolicyKind.OFF_HOURS: schedule,
    PolicyKind.MAX_RUNTIME: runtime,
    PolicyKind.BUDGET: budget,
}


def plan_for(policy: Policy, now: datetime) -> Plan:
    return RULES[policy.kind].plan(policy, now)


def describe(policy: Policy) -> str:
    notice = f" Warns {policy.notice_minutes} min before pausing." if policy.notice_minutes else ""
    return RULES[policy.kind].describe(policy) + notice
