"""How the Hugging Face API has been answering lately, shared by the web processes and the workers."""

from django.db import models


class ApiHealth(models.Model):
    """A single row: consecutive failures of the API (5xx, 429, unreachable) and the last error."""

    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API health"
        verbose_name_plural = "API health"

    def __str__(self) -> str:
        return f"{self.consecutive_failures} consecutive failure(s)"
