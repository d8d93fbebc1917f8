"""Roles are enforced by the views (the 403 page) and a refused action is a message, never an error page."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from endpoints_app.models import AuditEntry, Endpoint, Namespace, Operation
from tests.endpoints.mirror_rows import endpoint_row

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


@pytest.fixture
def endpoint(namespace: Namespace) -> Endpoint:
    return endpoint_row(namespace, "gemma-001")


@pytest.mark.parametrize(
    ("role", "method", "url_name"),
    [
        ("", "get", "endpoints:list"),
        ("viewer", "get", "endpoints:create"),
        ("viewer", "get", "endpoints:update"),
        ("viewer", "post", "endpoints:pause"),
        ("viewer", "post", "endpoints:resume"),
        ("viewer", "post", "endpoints:scale_to_zero"),
        ("operator", "get", "endpoints:delete"),
        ("operator", "post", "endpoints:delete"),
        ("operator", "get", "endpoints:credentials"),
    ],
)
def test_a_role_without_the_permission_gets_the_403_page(
    client_as: ClientAs, endpoint: Endpoint, role: str, method: str, url_name: str
) -> None:
    needs_pk = url_name not in ("endpoints:list", "endpoints:create", "endpoints:credentials")
    url = reverse(url_name, args=[endpoint.pk] if needs_pk else [])
    response = getattr(client_as(role), method)(url)
    assert response.status_code == 403
    assert b"You may not do that" in response.content
    assert not Operation.objects.exists()


def test_a_quick_action_refused_while_another_runs_answers_the_row_with_a_message(
    client_as: ClientAs, endpoint: Endpoint
) -> None:
    Operation.objects.create(kind="resume", namespace=endpoint.namespace, endpoint_name=endpoint.name)
    response = client_as("operator").post(
        reverse("endpoints:pause", args=[endpoint.pk]),
        headers={
            "hx-request": "true",
            "hx-target": f"endpoint-{endpoint.pk}",
            "hx-current-url": "/endpoints/",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="endpoint-{endpoint.pk}">')
    assert "An operation is already in progress on gemma-001: resume by system" in page
    assert 'id="messages" class="messages" aria-live="polite" hx-swap-oob="true"' in page
    assert AuditEntry.objects.get(action="pause").result == AuditEntry.Result.REFUSED


def test_a_refused_action_from_the_endpoint_page_comes_back_as_a_message(
    client_as: ClientAs, namespace: Namespace
) -> None:
    paused = endpoint_row(namespace, "sdxl-001", status="paused")
    response = client_as("operator").post(reverse("endpoints:pause", args=[paused.pk]), follow=True)
    assert response.redirect_chain == [(reverse("endpoints:detail", args=[paused.pk]), 302)]
    assert "sdxl-001 is already paused." in response.content.decode()


def test_delete_needs_the_name_typed(client_as: ClientAs, endpoint: Endpoint) -> None:
    response = client_as("admin").post(
        reverse("endpoints:delete", args=[endpoint.pk]), {"typed_name": "gemma"}
    )
    assert response.status_code == 200
    assert "Type the endpoint&#x27;s name, gemma-001, to confirm the deletion." in response.content.decode()
    assert not Operation.objects.exists()


def test_an_endpoint_deleted_remotely_refuses_actions(client_as: ClientAs, namespace: Namespace) -> None:
    gone = endpoint_row(namespace, "old-001", is_gone=True)
    response = client_as("operator").post(reverse("endpoints:resume", args=[gone.pk]), follow=True)
    assert "old-001 no longer exists on Hugging Face." in response.content.decode()
