"""Recording that an endpoint was used (playground requests, a request count that went up in its metrics)."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from endpoints_app.models import Endpoint


def record_activity(endpoint: Endpoint, at: datetime | None = None) -> None:
    """Moves the endpoint's last activity forward (never back) to `at`, or now."""
    moment = at or timezone.now()
    Endpoint.objects.filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=moment), pk=endpoint.pk
    ).update(last_activity_at=moment)
    endpoint.last_activity_at = max(endpoint.last_activity_at or moment, moment)
