"""Admins manage the team's tokens (checked with whoami, shown only as hf_…abcd); namespaces show their sync
state and can be refreshed."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from endpoints_app.models import Credential, Namespace
from tests.fixtures.team import VIEWER_TOKEN, Team
from tests.waiting import wait_until

CREDENTIALS = reverse("endpoints:credentials")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_adds_a_token_shown_only_by_its_last_characters(ready_team: Team) -> None:
    response = logged_in(ready_team.admin).post(
        CREDENTIALS, {"label": "Viewer token", "token": VIEWER_TOKEN}, follow=True
    )
    page = response.content.decode()
    assert "Added Viewer token (hf_…oken): it reaches viewer." in page
    assert VIEWER_TOKEN not in page
    assert Credential.objects.get(label="Viewer token").reached_namespaces == ["viewer"]


def test_a_token_hugging_face_refuses_is_not_stored(ready_team: Team) -> None:
    response = logged_in(ready_team.admin).post(
        CREDENTIALS, {"label": "Typo", "token": "hf_not_a_real_token"}
    )
    page = response.content.decode()
    assert "The token was not accepted" in page
    assert 'value="Typo"' in page and "hf_not_a_real_token" not in page
    assert not Credential.objects.filter(label="Typo").exists()


def test_a_token_is_replaced_and_removed(ready_team: Team) -> None:
    client = logged_in(ready_team.admin)
    replace = reverse("endpoints:replace_credential", args=[ready_team.credential.pk])
    assert (
        "Replaced the token of Demo token"
        in client.post(replace, {"token": VIEWER_TOKEN}, follow=True).content.decode()
    )
    ready_team.credential.refresh_from_db()
    assert ready_team.credential.hf_username == "viewer"

    client.post(reverse("endpoints:remove_credential", args=[ready_team.credential.pk]))
    assert not Credential.objects.exists()
    assert set(Namespace.objects.values_list("credential", flat=True)) == {None}


def test_namespaces_show_their_last_sync_its_error_and_staleness(ready_team: Team) -> None:
    Namespace.objects.filter(name="demo-org").update(
        last_synced_at=timezone.now() - timedelta(hours=1), last_sync_error="Hugging Face failed (HTTP 503)."
    )
    page = logged_in(ready_team.viewer).get(reverse("endpoints:namespaces")).content.decode()
    assert "Hugging Face failed (HTTP 503)." in page
    assert ">stale</span>" in page
    assert ">Refresh</button>" not in page  # viewers do not start syncs


def test_refresh_syncs_the_namespace_now(ready_team: Team) -> None:
    namespace = ready_team.org_namespace
    Namespace.objects.filter(pk=namespace.pk).update(last_synced_at=None, last_sync_error="old error")
    response = logged_in(ready_team.operator).post(
        reverse("endpoints:refresh_namespace", args=[namespace.pk]), follow=True
    )
    assert "Syncing demo-org: reload in a moment." in response.content.decode()
    wait_until(
        lambda: Namespace.objects.filter(
            pk=namespace.pk, last_synced_at__isnull=False, last_sync_error=""
        ).exists(),
        what="the sync of demo-org",
    )
