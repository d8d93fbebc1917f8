"""Billing models: policies and their actions, exclusions, budget alerts, notifications, metrics readings."""

from endpoints_app.billing.models.budgets import BudgetAlert
from endpoints_app.billing.models.exclusions import Exclusion
from endpoints_app.billing.models.metrics import MetricsReading
from endpoints_app.billing.models.notifications import Notification
from endpoints_app.billing.models.policies import Policy, PolicyAction, PolicyKind

__all__ = [
    "BudgetAlert",
    "Exclusion",
    "MetricsReading",
    "Notification",
    "Policy",
    "PolicyAction",
    "PolicyKind",
]
