"""The team's token reaches an endpoint's URL only when the endpoint's type requires one: hubsim's request log
keeps the names of the headers each request carried (hubsim/README.md, the control API)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import metrics
from endpoints_app.models import Endpoint
from endpoints_app.services import operations, sync
from playground_app.models import QueryMode
from tests.core.test_operations import gemma_spec
from tests.fixtures.team import Team
from tests.playground.sse import answer_text, events_of
from tests.waiting import finished


def headers_sent_to(hubsim, endpoint_name: str) -> list[list[str]]:
    """The header names of each request that reached the endpoint's URL (its `/e/...` routes)."""
    return [
        entry["headers"]
        for entry in hubsim.control.request_log()
        if entry["path"].startswith("/e/") and entry["endpoint"] == f"demo/{endpoint_name}"
    ]


def carried_a_token(hubsim, endpoint_name: str) -> set[bool]:
    sent = headers_sent_to(hubsim, endpoint_name)
    assert sent, f"nothing reached {endpoint_name}"
    return {"authorization" in names for names in sent}


@pytest.mark.parametrize(("endpoint_type", "with_token"), [("public", False), ("private", True)])
@pytest.mark.parametrize("mode", [QueryMode.MESSAGES, QueryMode.RAW, QueryMode.CLIENT])
def test_the_playground_sends_the_token_only_where_the_type_requires_it(
    deploy, otto, hubsim, mode: str, endpoint_type: str, with_token: bool
) -> None:
    name = f"{endpoint_type}-{mode}".replace("_", "-")
    endpoint = deploy(name, endpoint_type=endpoint_type)
    hubsim.control.reset_requests()
    form = {"endpoint": endpoint.pk, "mode": mode, "text": "Hello", "max_new_tokens": "5"}
    events = events_of(otto.post(reverse("playground:answer"), form))

    assert answer_text(events).strip()
    assert carried_a_token(hubsim, name) == {with_token}


@pytest.mark.parametrize(("endpoint_type", "with_token"), [("public", False), ("authenticated", True)])
def test_the_activity_reading_sends_the_token_only_where_the_type_requires_it(
    fleet, hubsim, endpoint_type: str, with_token: bool
) -> None:
    endpoint = fleet.deploy(f"read-{endpoint_type}", endpoint_type=endpoint_type)  # one replica kept up
    hubsim.control.reset_requests()
    # The service's open-metrics answer first when they can (an API call): without them, /metrics is read.
    fleet.fail_open_metrics()
    metrics.record_reading(endpoint, timezone.now())
    assert carried_a_token(hubsim, endpoint.name) == {with_token}


@pytest.mark.parametrize(("endpoint_type", "with_token"), [("public", False), ("private", True)])
def test_the_health_check_sends_the_token_only_where_the_type_requires_it(
    team: Team, celery_worker, hubsim, endpoint_type: str, with_token: bool
) -> None:
    """A private endpoint is reachable with a token of its namespace (security_types.py): its health route is
    checked like any other's, with the token."""
    name = f"health-{endpoint_type}"
    operation = operations.create_endpoint(
        team.actor(), team.namespace, gemma_spec(name, endpoint_type=endpoint_type)
    )
    assert finished(operation).state == "succeeded", operation.error
    health = [entry for entry in hubsim.control.request_log() if entry["path"].endswith("/health")]
    assert health and {"authorization" in entry["headers"] for entry in health} == {with_token}


def test_an_endpoint_behind_private_link_is_running_without_a_health_check(
    team: Team, celery_worker, hubsim
) -> None:
    """Its URL answers no one outside its VPC: the operation is done when the API says running."""
    hubsim.create_endpoint(
        "linked", type="private", private_link_account_id="123456789012", private_link_region="us-east-1"
    )
    hubsim.control.set_state("demo", "linked", "paused")
    sync.sync_namespace(team.namespace)
    hubsim.control.reset_requests()

    operation = finished(operations.resume_endpoint(team.actor(), Endpoint.objects.get(name="linked")))
    assert operation.state == "succeeded", operation.error
    assert headers_sent_to(hubsim, "linked") == []
