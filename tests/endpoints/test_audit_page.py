"""The audit log page: filters, pages, and the same selection as CSV."""

import csv
import io
import warnings
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from endpoints_app.models import AuditEntry

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]
AUDIT = reverse("endpoints:audit")


def entry(
    actor: str, action: str, target: str, result: str, days_ago: int = 0, **extra: object
) -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now() - timedelta(days=days_ago),
        actor_label=actor,
        action=action,
        target=target,
        result=result,
        **extra,
    )


@pytest.fixture
def entries() -> None:
    entry("otto", "pause", "demo/gemma-001", "succeeded", ip_address="10.0.0.7")
    entry("ada", "delete", "demo/sdxl-001", "failed", days_ago=3, message="Hugging Face failed (HTTP 503)")
    entry("automatic: idle", "pause", "demo-org/idefics-001", "succeeded", days_ago=10)


def targets(response) -> list[str]:
    return [item.target for item in response.context["page"]]


@pytest.mark.usefixtures("entries")
def test_filters_select_by_actor_action_target_result_and_dates(client_as: ClientAs) -> None:
    client = client_as("viewer")
    assert targets(client.get(AUDIT, {"actor": "OTTO"})) == ["demo/gemma-001"]
    assert targets(client.get(AUDIT, {"action": "pause"})) == ["demo/gemma-001", "demo-org/idefics-001"]
    assert targets(client.get(AUDIT, {"target": "sdxl"})) == ["demo/sdxl-001"]
    assert targets(client.get(AUDIT, {"result": "failed"})) == ["demo/sdxl-001"]
    since = (timezone.now() - timedelta(days=5)).date().isoformat()
    until = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert targets(client.get(AUDIT, {"since": since, "until": until})) == ["demo/sdxl-001"]


def test_the_log_is_paginated(client_as: ClientAs) -> None:
    for number in range(55):
        entry("otto", "pause", f"demo/e-{number:03d}", "succeeded")
    client = client_as("viewer")
    assert len(targets(client.get(AUDIT))) == 50
    second = client.get(AUDIT, {"page": 2})
    assert len(targets(second)) == 5
    assert "Page 2 of 2" in second.content.decode()


def streamed_text(response) -> str:
    """The body of the CSV, which is streamed (an asynchronous iterator: the ASGI server sends it a line at a
    time; the test client reads it whole)."""
    assert response.streaming and response.is_async
    with warnings.catch_warnings():  # the test client is synchronous; the ASGI server is not
        warnings.simplefilter("ignore")
        return b"".join(response).decode()


@pytest.mark.usefixtures("entries")
def test_csv_export_holds_the_filtered_entries(client_as: ClientAs) -> None:
    response = client_as("admin").get(reverse("endpoints:audit_csv"), {"result": "succeeded"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.DictReader(io.StringIO(streamed_text(response))))
    assert [(row["actor"], row["target"], row["ip_address"]) for row in rows] == [
        ("otto", "demo/gemma-001", "10.0.0.7"),
        ("automatic: idle", "demo-org/idefics-001", ""),
    ]


def test_csv_cells_cannot_become_spreadsheet_formulas(client_as: ClientAs) -> None:
    entry("otto", "pause", "=HYPERLINK(1)", "refused")
    rows = list(
        csv.DictReader(io.StringIO(streamed_text(client_as("viewer").get(reverse("endpoints:audit_csv")))))
    )
    assert rows[0]["target"] == "'=HYPERLINK(1)"


@pytest.mark.usefixtures("entries")
def test_only_admins_see_where_people_acted_from(client_as: ClientAs) -> None:
    assert "10.0.0.7" in client_as("admin").get(AUDIT).content.decode()
    assert "10.0.0.7" not in client_as("viewer").get(AUDIT).content.decode()
    viewer_csv = streamed_text(client_as("viewer").get(reverse("endpoints:audit_csv")))
    assert "10.0.0.7" not in viewer_csv
