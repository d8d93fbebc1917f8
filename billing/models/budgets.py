"""Budget alerts already sent: one per policy, month and threshold."""

from decimal import Decimal

from django.db import models
from django.utils import timezone

from billing.models.policies import Policy


class BudgetAlert(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="budget_alerts")
    month = models.DateField(help_text="The first day of the month.")
    threshold = models.PositiveIntegerField(help_text="Percent of the monthly budget.")
    spent = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "month", "threshold"], name="one_budget_alert_per_threshold_and_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.month:%Y-%m}: {self.threshold}%"
