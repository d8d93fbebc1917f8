"""Billing models: policies and their actions and warnings, exclusions, budget alerts, notifications,
metrics readings."""

from billing.models.budgets import BudgetAlert
from billing.models.exclusions import Exclusion
from billing.models.metrics import ActivitySource, MetricsReading
from billing.models.notifications import Notification
from billing.models.policies import Policy, PolicyAction, PolicyKind
from billing.models.warnings import PauseWarning

__all__ = [
    "ActivitySource",
    "BudgetAlert",
    "Exclusion",
    "MetricsReading",
    "Notification",
    "PauseWarning",
    "Policy",
    "PolicyAction",
    "PolicyKind",
]
