"""Pause, resume, update, scale to zero and delete through the pages, on the real stack."""

from decimal import Decimal

import pytest
from django.urls import reverse

from endpoints_app.hf.remote import CustomImage, EndpointSpec
from endpoints_app.models import Endpoint, Operation
from endpoints_app.presets import TUTORIAL_TGI_IMAGE
from endpoints_app.services import operations, sync
from tests.endpoints.form_flow import (
    browser_values,
    logged_in,
    progress_until_done,
    started_operation,
    submit,
)
from tests.fixtures.team import Team
from tests.waiting import finished

ROW = {"hx-request": "true", "hx-current-url": "http://testserver/endpoints/"}


@pytest.fixture
def endpoint(ready_team: Team) -> Endpoint:
    spec = EndpointSpec(
        name="gemma-001",
        repository="google/gemma-1.1-2b-it",
        task="text-generation",
        vendor="aws",
        region="us-east-1",
        accelerator="gpu",
        instance_type="nvidia-a10g",
        instance_size="x1",
        custom_image=CustomImage(url=TUTORIAL_TGI_IMAGE),
        env={"MODEL_ID": "/repository"},
    )
    operation = finished(operations.create_endpoint(ready_team.actor(), ready_team.namespace, spec))
    assert operation.state == "succeeded", operation.error
    return operation.endpoint


def last_operation_of(endpoint: Endpoint) -> Operation:
    return finished(Operation.objects.filter(endpoint=endpoint).latest("created_at"))


def test_pause_from_the_list_swaps_the_row_and_pauses(ready_team: Team, endpoint: Endpoint) -> None:
    client = logged_in(ready_team.operator)
    response = client.post(
        reverse("endpoints:pause", args=[endpoint.pk]),
        headers={**ROW, "hx-target": f"endpoint-{endpoint.pk}"},
    )
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="endpoint-{endpoint.pk}">')
    assert 'id="list-poller" class="hidden" hx-get="/endpoints/live/?" hx-trigger="every 2s"' in row

    assert last_operation_of(endpoint).state == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.status == "paused"
    assert 'class="badge badge-paused"' in client.get(reverse("endpoints:list_live")).content.decode()


def test_resume_from_the_endpoint_page_waits_until_running(
    ready_team: Team, endpoint: Endpoint, hubsim
) -> None:
    hubsim.control.set_state("demo", "gemma-001", "paused")
    sync.sync_namespace(ready_team.namespace)
    client = logged_in(ready_team.operator)
    response = client.post(reverse("endpoints:resume", args=[endpoint.pk]), follow=True)
    assert "Resuming demo/gemma-001: the operation is under way." in response.content.decode()

    operation = last_operation_of(endpoint)
    assert (operation.state, operation.remote_state) == ("succeeded", "running")


def test_scale_to_zero_from_the_list(ready_team: Team, endpoint: Endpoint) -> None:
    client = logged_in(ready_team.operator)
    client.post(
        reverse("endpoints:scale_to_zero", args=[endpoint.pk]),
        headers={**ROW, "hx-target": f"endpoint-{endpoint.pk}"},
    )
    assert last_operation_of(endpoint).state == "succeeded"
    endpoint.refresh_from_db()
    assert (endpoint.status, endpoint.hourly_burn) == ("scaledToZero", 0)


def test_update_moves_the_endpoint_to_other_hardware(ready_team: Team, endpoint: Endpoint) -> None:
    client = logged_in(ready_team.operator)
    update_url = reverse("endpoints:update", args=[endpoint.pk])
    values = browser_values(client.get(update_url).context["form"])
    response = submit(client, update_url, {**values, "hardware": "aws/us-east-1/nvidia-l4/x1"})

    final = progress_until_done(client, started_operation(response))

    assert "Done: the endpoint is <strong>running</strong>" in final
    endpoint.refresh_from_db()
    assert (endpoint.instance_type, endpoint.price_per_hour) == ("nvidia-l4", Decimal("0.8000"))


def test_an_update_that_changes_nothing_is_refused_on_the_form(ready_team: Team, endpoint: Endpoint) -> None:
    client = logged_in(ready_team.operator)
    update_url = reverse("endpoints:update", args=[endpoint.pk])
    response = submit(client, update_url, browser_values(client.get(update_url).context["form"]))
    assert "Nothing to change" in response.content.decode()
    assert not Operation.objects.filter(kind="update").exists()


def test_delete_after_typing_the_name(ready_team: Team, endpoint: Endpoint) -> None:
    client = logged_in(ready_team.admin)
    response = client.post(reverse("endpoints:delete", args=[endpoint.pk]), {"typed_name": "gemma-001"})
    assert response["Location"] == reverse("endpoints:detail", args=[endpoint.pk])

    assert last_operation_of(endpoint).state == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.is_gone
    assert "Deleted" in client.get(reverse("endpoints:detail", args=[endpoint.pk])).content.decode()
