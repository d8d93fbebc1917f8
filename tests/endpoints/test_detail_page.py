"""The endpoint page: everything the mirror knows, secrets never shown, cost so far, and a live panel that
polls only while something moves."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from endpoints_app.models import Namespace, Operation, StatusEvent
from tests.endpoints.mirror_rows import endpoint_row, raw_endpoint

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def detail_of(client: Client, pk: int) -> str:
    return client.get(reverse("endpoints:detail", args=[pk])).content.decode()


def test_env_is_shown_and_secret_values_never(client_as: ClientAs, namespace: Namespace) -> None:
    raw = raw_endpoint("gemma-001", env={"MAX_TOKENS": "512"}, secrets={"API_KEY": "do-not-show-me"})
    endpoint = endpoint_row(namespace, "gemma-001", raw=raw)
    page = detail_of(client_as("viewer"), endpoint.pk)
    assert "<code>MAX_TOKENS=512</code>" in page
    assert "<code>API_KEY</code>" in page
    assert "do-not-show-me" not in page  # not in the facts, nor in the raw JSON
    assert "&quot;API_KEY&quot;: &quot;********&quot;" in page


def test_the_page_shows_model_hardware_scaling_and_security(
    client_as: ClientAs, namespace: Namespace
) -> None:
    endpoint = endpoint_row(
        namespace,
        "gemma-001",
        revision="abc123",
        framework="pytorch",
        image="ghcr.io/huggingface/text-generation-inference:latest",
        min_replica=0,
        max_replica=2,
        scale_to_zero_timeout=15,
        price_per_hour=Decimal("1.00"),
    )
    page = detail_of(client_as("viewer"), endpoint.pk)
    for fact in (
        "google/gemma-1.1-2b-it",
        "abc123",
        "ghcr.io/huggingface/text-generation-inference:latest",
        "nvidia-a10g x1 (GPU)",
        "$1.00 per replica-hour",
        "min 0, max 2",
        "after 15 idle minutes",
        "Authenticated (a token of any Hugging Face account)",
        'data-copy="http://127.0.0.1:9/e/gemma-001"',
    ):
        assert fact in page


def test_cost_so_far_and_timeline_come_from_the_status_events(
    client_as: ClientAs, namespace: Namespace
) -> None:
    endpoint = endpoint_row(namespace, "gemma-001", price_per_hour=Decimal("2.00"))
    StatusEvent.objects.create(
        endpoint=endpoint, at=timezone.now() - timedelta(hours=3), to_status="running", replicas=1
    )
    page = detail_of(client_as("viewer"), endpoint.pk)
    assert "$6.00" in page
    assert '<span class="badge badge-running">running</span>' in page


def test_the_playground_link_and_buttons_follow_the_role(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    viewer_page = detail_of(client_as("viewer"), endpoint.pk)
    assert f'href="/playground/?endpoint={endpoint.pk}"' in viewer_page
    assert ">Pause</button>" not in viewer_page and ">Edit</a>" not in viewer_page
    operator_page = detail_of(client_as("operator"), endpoint.pk)
    assert ">Pause</button>" in operator_page and ">Edit</a>" in operator_page
    assert ">Delete</a>" not in operator_page
    assert ">Delete</a>" in detail_of(client_as("admin"), endpoint.pk)


def test_the_live_panel_polls_only_while_an_operation_runs(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    client = client_as("viewer")
    assert "every 2s" not in detail_of(client, endpoint.pk)
    operation = Operation.objects.create(
        kind="pause", namespace=namespace, endpoint_name=endpoint.name, endpoint=endpoint, state="waiting"
    )
    operation.remote_state, operation.started_at = "running", timezone.now()
    operation.save()
    live = client.get(reverse("endpoints:detail_live", args=[endpoint.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in live
    assert "Waiting: the endpoint is <strong>running</strong>" in live


def test_a_failed_operation_shows_the_apis_message(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001", status="failed")
    Operation.objects.create(
        kind="resume",
        namespace=namespace,
        endpoint_name=endpoint.name,
        endpoint=endpoint,
        state="failed",
        error="The deployment failed: CUDA out of memory",
        finished_at=timezone.now(),
    )
    page = detail_of(client_as("viewer"), endpoint.pk)
    assert "The deployment failed: CUDA out of memory" in page
    assert "every 2s" not in page


def test_an_unknown_endpoint_is_the_friendly_404(client_as: ClientAs, namespace: Namespace) -> None:
    assert client_as("viewer").get(reverse("endpoints:detail", args=[999])).status_code == 404
