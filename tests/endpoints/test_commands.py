"""The management commands act through the same services and audit log as the pages."""

import io

import pytest
from django.core.management import CommandError, call_command

from endpoints_app.models import AuditEntry, Endpoint
from endpoints_app.services import sync
from tests.fixtures.team import Team


def create_remote(hubsim, name: str, namespace: str = "demo") -> None:
    hubsim.create_endpoint(name, namespace=namespace)


def run(*args: str) -> str:
    output = io.StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


def test_sync_endpoints_mirrors_every_namespace(ready_team: Team, hubsim) -> None:
    create_remote(hubsim, "gemma-001")
    create_remote(hubsim, "gemma-002", namespace="demo-org")
    output = run("sync_endpoints")
    assert "demo: 1 endpoints, 1 changed." in output
    assert "demo-org: 1 endpoints, 1 changed." in output
    assert Endpoint.objects.count() == 2


@pytest.mark.django_db
def test_sync_endpoints_refuses_a_namespace_no_token_reaches() -> None:
    with pytest.raises(CommandError, match="No token reaches elsewhere"):
        run("sync_endpoints", "elsewhere")


def test_endpoints_list_shows_the_mirror(ready_team: Team, hubsim) -> None:
    create_remote(hubsim, "gemma-001")
    hubsim.control.set_state("demo", "gemma-001", "running")
    sync.sync_namespace(ready_team.namespace)
    output = run("endpoints", "list", "--status", "running")
    assert output.startswith("demo/gemma-001")
    assert "aws/us-east-1 nvidia-a10g x1" in output


def test_pause_and_resume_wait_and_are_audited(ready_team: Team, hubsim) -> None:
    create_remote(hubsim, "gemma-001")
    sync.sync_namespace(ready_team.namespace)

    assert "Done: the endpoint is paused." in run("endpoints", "pause", "demo/gemma-001", "--wait")
    assert "Done: the endpoint is running." in run(
        "endpoints", "--as", "otto", "resume", "gemma-001", "--wait"
    )

    results = list(AuditEntry.objects.filter(result="succeeded").values_list("action", "actor_label"))
    assert results[0] == ("resume", "otto")
    assert results[1][0] == "pause" and results[1][1].startswith("automatic: command line")


def test_a_name_two_namespaces_share_must_be_qualified(ready_team: Team, hubsim) -> None:
    create_remote(hubsim, "gemma-001")
    create_remote(hubsim, "gemma-001", namespace="demo-org")
    run("sync_endpoints")
    with pytest.raises(CommandError, match="write namespace/gemma-001"):
        run("endpoints", "pause", "gemma-001")


def test_a_viewer_may_not_pause_from_the_command_line(ready_team: Team, hubsim) -> None:
    create_remote(hubsim, "gemma-001")
    sync.sync_namespace(ready_team.namespace)
    with pytest.raises(CommandError, match=r"Your role does not allow you to pause endpoints\."):
        run("endpoints", "--as", "vic", "pause", "gemma-001")
