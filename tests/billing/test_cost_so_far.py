"""Cost so far on the endpoint page: price x billed replica-hours of the timeline."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.costs import cost_so_far
from endpoints_app.models import StatusEvent
from tests.endpoints.mirror_rows import endpoint_row, namespace_with_token

pytestmark = pytest.mark.django_db


def test_cost_so_far_counts_only_billed_stretches() -> None:
    endpoint = endpoint_row(namespace_with_token("demo"), "gemma-001", price_per_hour=Decimal("2.50"))
    start = timezone.now() - timedelta(hours=10)
    timeline = [
        ("", "initializing", 1, 0),  # 0h-1h: 1 replica
        ("initializing", "running", 2, 1),  # 1h-4h: 2 replicas
        ("running", "paused", 0, 4),  # 4h-8h: nothing
        ("paused", "running", 1, 8),  # 8h-10h: 1 replica
    ]
    for from_status, to_status, replicas, hour in timeline:
        StatusEvent.objects.create(
            endpoint=endpoint,
            at=start + timedelta(hours=hour),
            from_status=from_status,
            to_status=to_status,
            replicas=replicas,
        )
    cost = cost_so_far(endpoint, now=start + timedelta(hours=10))
    assert cost.replica_hours == Decimal(9)
    assert cost.amount == Decimal("22.50")
