"""Cost so far on the endpoint page (price x billed replica-hours of the timeline), and the burn rate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.costs import cost_so_far
from endpoints_app.models import Endpoint, Namespace, StatusEvent
from endpoints_app.services import costs
from tests.endpoints.mirror_rows import endpoint_row

pytestmark = pytest.mark.django_db


def test_cost_so_far_counts_only_billed_stretches(namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001", price_per_hour=Decimal("2.50"))
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


def test_burn_rate_adds_the_billed_replicas_of_what_runs(namespace: Namespace) -> None:
    endpoint_row(namespace, "running-two", price_per_hour=Decimal("1.50"), target_replica=2, ready_replica=2)
    endpoint_row(namespace, "starting", status="initializing", price_per_hour=Decimal("4.00"))
    endpoint_row(namespace, "paused-one", status="paused", price_per_hour=Decimal("9.00"))
    endpoint_row(namespace, "deleted", price_per_hour=Decimal("9.00"), is_gone=True)
    assert costs.burn_rate(Endpoint.objects.all()) == Decimal("7.00")
