"""Counting consecutive API failures, so the UI can say "degraded" once instead of failing everywhere."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from endpoints_app.hf.errors import GatewayError
from endpoints_app.models.api_health import ApiHealth

SINGLETON_ID = 1


def record_failure(error: GatewayError) -> None:
    """Counts failures of the service itself; a refused request (4xx) says nothing about its health."""
    if not error.retryable:
        return
    ApiHealth.objects.get_or_create(pk=SINGLETON_ID)
    ApiHealth.objects.filter(pk=SINGLETON_ID).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_error=str(error),
        last_failure_at=timezone.now(),
    )


def record_success() -> None:
    ApiHealth.objects.filter(pk=SINGLETON_ID, consecutive_failures__gt=0).update(
        consecutive_failures=0, last_success_at=timezone.now()
    )


def is_degraded() -> bool:
    """Several failures in a row, the last one recent."""
    recent = timezone.now() - timedelta(seconds=settings.HF_API_DEGRADED_WINDOW_SECONDS)
    return ApiHealth.objects.filter(
        pk=SINGLETON_ID,
        consecutive_failures__gte=settings.HF_API_DEGRADED_AFTER_FAILURES,
        last_failure_at__gte=recent,
    ).exists()
