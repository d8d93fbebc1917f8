"""The overview, from the mirror: endpoints by status, burn rate, namespaces' sync, recent operations."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from endpoints_app.models import Namespace, Operation
from tests.endpoints.mirror_rows import endpoint_row, namespace_with_token

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def test_the_overview_counts_endpoints_by_status_and_their_burn_rate(
    client_as: ClientAs, namespace: Namespace
) -> None:
    endpoint_row(namespace, "gemma-001", price_per_hour=Decimal("1.00"))
    endpoint_row(namespace, "gemma-002", price_per_hour=Decimal("2.50"))
    endpoint_row(namespace, "sdxl-001", status="paused")
    endpoint_row(namespace, "old-001", is_gone=True)
    response = client_as("viewer").get(reverse("overview"))
    fleet = response.context["fleet"]
    assert fleet.total == 3
    assert [(entry.status, entry.count) for entry in fleet.by_status] == [("running", 2), ("paused", 1)]
    assert "$3.50/h" in response.content.decode()


def test_the_overview_warns_about_a_stale_namespace_and_shows_sync_errors(
    client_as: ClientAs, namespace: Namespace
) -> None:
    stale = namespace_with_token("demo-org")
    stale.last_synced_at = timezone.now() - timedelta(hours=2)
    stale.last_sync_error = "Hugging Face could not be reached to list the endpoints of demo-org."
    stale.save()
    page = client_as("viewer").get(reverse("overview")).content.decode()
    assert "The mirror of demo-org is stale" in page
    assert "Hugging Face could not be reached to list the endpoints of demo-org." in page


def test_the_overview_lists_recent_operations(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    Operation.objects.create(
        kind="pause", namespace=namespace, endpoint_name="gemma-001", endpoint=endpoint, state="succeeded"
    )
    page = client_as("viewer").get(reverse("overview")).content.decode()
    assert f'<a href="{reverse("endpoints:detail", args=[endpoint.pk])}">demo/gemma-001</a>' in page


def test_a_user_without_a_role_sees_no_endpoint(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint_row(namespace, "gemma-001")
    page = client_as("").get(reverse("overview")).content.decode()
    assert "No role yet" in page and "gemma-001" not in page
