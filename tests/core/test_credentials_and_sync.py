"""Credentials reach namespaces; a sync mirrors each namespace with one list call."""

import pytest
from huggingface_hub import HfApi

from endpoints_app.hf import HfGateway
from endpoints_app.models import AuditEntry, Credential, Endpoint, Namespace, StatusEvent
from endpoints_app.services import credentials, sync
from endpoints_app.services.errors import ActionRefused, NotPermitted
from tests.fixtures.team import DEMO_TOKEN, VIEWER_TOKEN, Team


def create_remote(hubsim, name: str, namespace: str = "demo", **overrides) -> None:
    """An endpoint made outside the console (the tutorial's notebook, say)."""
    hubsim.create_endpoint(name, namespace=namespace, **overrides)


def test_adding_a_token_discovers_the_user_and_its_orgs(team: Team) -> None:
    credential = Credential.objects.get()
    assert credential.hf_username == "demo"
    assert credential.masked_token == "hf_…oken"
    assert DEMO_TOKEN.encode() not in bytes(credential.token_ciphertext)
    assert credential.reveal_token() == DEMO_TOKEN
    assert set(Namespace.objects.values_list("name", "credential__label")) == {
        ("demo", "Demo token"),
        ("demo-org", "Demo token"),
    }
    assert AuditEntry.objects.filter(action="add_credential", actor=team.admin).exists()


def test_a_refused_token_is_not_stored(team: Team) -> None:
    with pytest.raises(ActionRefused, match="The token was not accepted"):
        credentials.add_credential(team.actor("admin"), "Bad", "hf_not_a_real_token")
    assert Credential.objects.count() == 1


def test_only_admins_manage_tokens(team: Team) -> None:
    with pytest.raises(NotPermitted):
        credentials.add_credential(team.actor("operator"), "Mine", VIEWER_TOKEN)


def test_removing_a_credential_hands_its_namespaces_to_another(team: Team) -> None:
    second = credentials.add_credential(team.actor("admin"), "Second demo token", DEMO_TOKEN)
    credentials.remove_credential(team.actor("admin"), team.credential)
    assert set(Namespace.objects.values_list("credential", flat=True)) == {second.pk}


def test_sync_mirrors_a_namespace_with_one_list_call(team: Team, hubsim) -> None:
    for name in ("alpha-001", "beta-002", "gamma-003"):
        create_remote(hubsim, name, tags=["team-a"])
    hubsim.control.reset_requests()

    result = sync.sync_namespace(team.namespace)

    assert (result.ok, result.seen, result.changed) == (True, 3, 3)
    assert hubsim.control.request_counts()["by_route"] == {"GET /v2/endpoint/{namespace}": 1}
    endpoint = Endpoint.objects.get(name="alpha-001")
    assert endpoint.repository == "google/gemma-1.1-2b-it"
    assert list(endpoint.tags.values_list("name", flat=True)) == ["team-a"]
    assert endpoint.raw["name"] == "alpha-001"
    assert StatusEvent.objects.filter(endpoint=endpoint, from_status="").count() == 1


def test_sync_records_status_changes_and_remote_deletions(team: Team, hubsim) -> None:
    create_remote(hubsim, "alpha-001")
    create_remote(hubsim, "beta-002")
    sync.sync_namespace(team.namespace)
    hubsim.control.advance(5)
    HfApi(endpoint=hubsim.url, token=DEMO_TOKEN).delete_inference_endpoint("beta-002", namespace="demo")

    sync.sync_namespace(team.namespace)

    alpha = Endpoint.objects.get(name="alpha-001")
    assert alpha.status == "running"
    assert list(alpha.status_events.values_list("to_status", flat=True))[-1] == "running"
    beta = Endpoint.objects.get(name="beta-002")
    assert beta.is_gone
    assert beta.status_events.last().to_status == "gone"


def test_an_unchanged_endpoint_is_not_rewritten(team: Team, hubsim) -> None:
    create_remote(hubsim, "alpha-001")
    hubsim.control.advance(5)
    sync.sync_namespace(team.namespace)
    assert sync.sync_namespace(team.namespace).changed == 0


def test_a_failed_sync_is_recorded_on_the_namespace(team: Team, hubsim) -> None:
    hubsim.control.inject_fault("GET", "/v2/endpoint/*", 503, times=10)
    result = sync.sync_namespace(team.namespace)
    namespace = Namespace.objects.get(name="demo")
    assert not result.ok
    assert "HTTP 503" in namespace.last_sync_error
    assert namespace.last_synced_at is None and sync.is_stale(namespace)


def test_provider_list_prices_the_endpoints(team: Team, hubsim) -> None:
    create_remote(hubsim, "alpha-001")
    sync.sync_namespace(team.namespace)
    count = sync.refresh_hardware(team.namespace)
    assert count > 40
    endpoint = Endpoint.objects.get(name="alpha-001")
    assert str(endpoint.price_per_hour) == "1.0000"  # aws nvidia-a10g x1 in hardware-prices.csv


def test_the_gateway_never_shows_its_token() -> None:
    assert DEMO_TOKEN not in repr(HfGateway(DEMO_TOKEN))


def test_a_listing_older_than_the_mirror_does_not_undo_it(team: Team, hubsim) -> None:
    """A pause seen by an operation after the sync's list call, and an endpoint created after it, stand."""
    from django.utils import timezone

    from endpoints_app.hf import HfGateway
    from endpoints_app.services.mirror import apply_listing, apply_remote

    create_remote(hubsim, "alpha-001")
    hubsim.control.advance(5)
    gateway = HfGateway(DEMO_TOKEN)
    fetched_at = timezone.now()
    listing = gateway.list_endpoints("demo")  # alpha-001 running
    HfApi(endpoint=hubsim.url, token=DEMO_TOKEN).pause_inference_endpoint("alpha-001", namespace="demo")
    apply_remote(team.namespace, gateway.get_endpoint("demo", "alpha-001"))  # an operation sees it paused
    create_remote(hubsim, "beta-002")
    apply_remote(team.namespace, gateway.get_endpoint("demo", "beta-002"))  # created after the list call

    apply_listing(team.namespace, listing, fetched_at=fetched_at)

    assert Endpoint.objects.get(name="alpha-001").status == "paused"
    assert not Endpoint.objects.get(name="beta-002").is_gone
