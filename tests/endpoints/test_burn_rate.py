"""The burn rate: what the billed endpoints of a selection cost per hour now (list page, Overview)."""

from decimal import Decimal

import pytest

from endpoints_app.models import Endpoint, Namespace
from tests.endpoints.mirror_rows import endpoint_row

pytestmark = pytest.mark.django_db


def test_burn_rate_adds_the_billed_replicas_of_what_runs(namespace: Namespace) -> None:
    endpoint_row(namespace, "running-two", price_per_hour=Decimal("1.50"), target_replica=2, ready_replica=2)
    endpoint_row(namespace, "starting", status="initializing", price_per_hour=Decimal("4.00"))
    endpoint_row(namespace, "paused-one", status="paused", price_per_hour=Decimal("9.00"))
    endpoint_row(namespace, "deleted", price_per_hour=Decimal("9.00"), is_gone=True)
    assert Endpoint.objects.count_and_burn_rate()[1] == Decimal("7.00")
    assert Endpoint.objects.counts_by_status_and_burn_rate()[1] == Decimal("7.00")
