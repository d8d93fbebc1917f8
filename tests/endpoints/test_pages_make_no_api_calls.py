"""Pages read the mirror: rendering them calls the Hugging Face API zero times (hubsim counts requests)."""

from django.test import Client
from django.urls import reverse

from endpoints_app.models import Endpoint, Operation
from endpoints_app.services import sync
from tests.fixtures.team import Team


def test_list_and_detail_pages_make_zero_api_calls(ready_team: Team, hubsim) -> None:
    for name, state in (("gemma-001", "running"), ("gemma-002", "paused"), ("gemma-003", "initializing")):
        hubsim.create_endpoint(name)
        hubsim.control.set_state("demo", name, state)
    sync.sync_namespace(ready_team.namespace)
    endpoint = Endpoint.objects.get(name="gemma-001")
    operation = Operation.objects.create(
        kind="pause", namespace=ready_team.namespace, endpoint_name="gemma-002", state="succeeded"
    )
    client = Client()
    client.force_login(ready_team.viewer)
    assert hubsim.control.request_counts()["total"] > 0  # the counter sees the calls made so far
    hubsim.control.reset_requests()

    pages = [
        reverse("endpoints:list"),
        reverse("endpoints:list_live"),
        reverse("endpoints:detail", args=[endpoint.pk]),
        reverse("endpoints:detail_live", args=[endpoint.pk]),
        reverse("endpoints:analytics", args=[endpoint.pk]),
        reverse("endpoints:operation", args=[operation.pk]),
        reverse("endpoints:namespaces"),
        reverse("endpoints:catalog"),
        reverse("overview"),
    ]
    assert [client.get(page).status_code for page in pages] == [200] * len(pages)
    assert hubsim.control.request_counts()["total"] == 0
