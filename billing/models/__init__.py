"""Billing models: policies and their actions, exclusions, budget alerts, notifications, metrics readings."""

from billing.models.budgets import BudgetAlert
from billing.models.exclusions import Exclusion
from billing.models.metrics import ActivitySource, MetricsReading
from billing.models.notifications import Notification
from billing.models.policies import Policy, PolicyAction, PolicyKind

__all__ = [
    "ActivitySource",
    "BudgetAlert",
    "Exclusion",
    "MetricsReading",
    "Notification",
    "Policy",
    "PolicyAction",
    "PolicyKind",
]
