"""Operations run by a real Celery worker against the live hubsim, through the real huggingface_hub."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from celery.signals import task_postrun, task_prerun
from django.utils import timezone

from endpoints_app import tasks
from endpoints_app.hf.remote import CustomImage, EndpointSpec, EndpointUpdate
from endpoints_app.models import AuditEntry, Endpoint, Operation
from endpoints_app.services import credentials, operations, queue, runner, sync
from endpoints_app.services.errors import ActionRefused, NotPermitted, OperationInProgress
from tests.fixtures.team import Team
from tests.waiting import finished, wait_until

TGI = CustomImage("ghcr.io/huggingface/text-generation-inference:latest", "/health")


def gemma_spec(name: str = "gemma-1-1-2b-it-001", **changes) -> EndpointSpec:
    values = {
        "name": name,
        "repository": "google/gemma-1.1-2b-it",
        "task": "text-generation",
        "vendor": "aws",
        "region": "us-east-1",
        "accelerator": "gpu",
        "instance_type": "nvidia-a10g",
        "instance_size": "x1",
        "min_replica": 0,
        "max_replica": 1,
        "custom_image": TGI,
        "env": {"MODEL_ID": "/repository"},
        **changes,
    }
    return EndpointSpec(**values)


def create_running(team: Team, name: str = "gemma-1-1-2b-it-001") -> Endpoint:
    operation = finished(operations.create_endpoint(team.actor(), team.namespace, gemma_spec(name)))
    assert operation.state == "succeeded", operation.error
    return Endpoint.objects.get(name=name)


def test_create_waits_until_the_health_route_answers(team: Team, celery_worker, hubsim) -> None:
    operation = finished(operations.create_endpoint(team.actor(), team.namespace, gemma_spec()))

    assert operation.state == "succeeded", operation.error
    endpoint = Endpoint.objects.get(name="gemma-1-1-2b-it-001")
    assert endpoint.status == "running" and endpoint.url.startswith(hubsim.url)
    assert operation.endpoint == endpoint
    assert hubsim.control.request_counts()["by_route"].get("POST /v2/endpoint/{namespace}") == 1
    results = list(AuditEntry.objects.filter(operation=operation).values_list("result", flat=True))
    assert results == ["succeeded", "requested"]


def test_a_custom_container_is_checked_on_its_own_health_route(team: Team, celery_worker, hubsim) -> None:
    # The service keeps only a camelCase healthRoute; a health_route would be dropped, /health checked, and
    # a container answering on /ok would never get ready.
    own_server = CustomImage("registry.example.com/team/own-server:1.0", "/ok")
    spec = gemma_spec("own-server", custom_image=own_server)
    operation = finished(operations.create_endpoint(team.actor(), team.namespace, spec))

    assert operation.state == "succeeded", operation.error
    assert Endpoint.objects.get(name="own-server").health_route == "/ok"


def test_pause_resume_update_scale_and_delete(team: Team, celery_worker, hubsim) -> None:
    endpoint = create_running(team)
    actor = team.actor()

    assert finished(operations.pause_endpoint(actor, endpoint)).state == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.status == "paused"

    assert finished(operations.resume_endpoint(actor, endpoint)).state == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.status == "running"

    update = EndpointUpdate(instance_type="nvidia-a100", instance_size="x1")
    assert finished(operations.update_endpoint(actor, endpoint, update)).state == "succeeded"
    endpoint.refresh_from_db()
    assert (endpoint.instance_type, endpoint.status) == ("nvidia-a100", "running")

    assert finished(operations.scale_endpoint_to_zero(actor, endpoint)).state == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.status == "scaledToZero"

    deletion = operations.delete_endpoint(team.actor("admin"), endpoint, typed_name=endpoint.name)
    assert finished(deletion).state == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.is_gone


def test_a_second_operation_is_refused_while_one_is_active(team: Team, celery_worker, hubsim) -> None:
    endpoint = create_running(team)
    first = operations.pause_endpoint(team.actor(), endpoint)
    with pytest.raises(
        OperationInProgress, match="already in progress on gemma-1-1-2b-it-001: pause by otto"
    ):
        operations.scale_endpoint_to_zero(team.actor("admin"), endpoint)
    assert finished(first).state == "succeeded"
    assert AuditEntry.objects.filter(action="scale_to_zero", result="refused").count() == 1


def test_a_failed_deployment_fails_the_operation_with_its_message(team: Team, celery_worker, hubsim) -> None:
    hubsim.control.fail_next_deployment("demo", "broken-001", "CUDA out of memory")
    operation = finished(operations.create_endpoint(team.actor(), team.namespace, gemma_spec("broken-001")))
    assert operation.state == "failed"
    assert operation.error == "The deployment failed: CUDA out of memory"
    assert Endpoint.objects.get(name="broken-001").status == "failed"


def test_refusals_from_the_api_end_the_operation_with_the_reason(team: Team, celery_worker, hubsim) -> None:
    spec = gemma_spec(
        "quota-001", instance_type="nvidia-h100", instance_size="x8", min_replica=1, max_replica=8
    )
    operation = finished(operations.create_endpoint(team.actor(), team.namespace, spec))
    assert operation.state == "failed"
    assert "quota" in operation.error.lower()


def test_the_service_refuses_bad_names_and_wrong_roles(team: Team) -> None:
    with pytest.raises(ActionRefused, match="not a valid endpoint name"):
        operations.create_endpoint(team.actor(), team.namespace, gemma_spec("Bad_Name"))
    with pytest.raises(NotPermitted):
        operations.create_endpoint(team.actor("viewer"), team.namespace, gemma_spec())


def test_a_create_is_not_sent_twice_when_the_answer_is_lost(team: Team, celery_worker, hubsim) -> None:
    """The create goes through on the server but its answer is lost (a proxy's 502): the gateway finds the
    endpoint before retrying instead of sending the create again."""
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", 502, times=1, when="after")
    operation = finished(operations.create_endpoint(team.actor(), team.namespace, gemma_spec()))
    assert operation.state == "succeeded", operation.error
    assert hubsim.control.request_counts()["by_route"]["POST /v2/endpoint/{namespace}"] == 1


def test_fifty_waiting_endpoints_are_watched_without_a_sleeping_task(
    team: Team, celery_worker, hubsim, monkeypatch
) -> None:
    """50 creates at once: the worker (2 threads) checks each and re-schedules; no task ever sleeps."""
    in_task = threading.local()
    sleeps_in_tasks: Counter = Counter()
    real_sleep = __import__("time").sleep

    def watching_sleep(seconds: float) -> None:
        if getattr(in_task, "name", None):
            sleeps_in_tasks[in_task.name] += 1
        real_sleep(seconds)

    def entered(task=None, **_) -> None:
        in_task.name = task.name

    def left(**_) -> None:
        in_task.name = None

    hubsim.control.set_quota("demo", "nvidia-a10g", 50)
    monkeypatch.setattr("time.sleep", watching_sleep)
    task_prerun.connect(entered, weak=False)
    task_postrun.connect(left, weak=False)
    try:
        waiting = [
            operations.create_endpoint(team.actor(), team.namespace, gemma_spec(f"fleet-{index:03d}"))
            for index in range(50)
        ]
        outcomes = Counter(finished(operation, timeout=120).state for operation in waiting)
    finally:
        task_prerun.disconnect(entered)
        task_postrun.disconnect(left)

    errors = Counter(operation.error for operation in waiting if operation.error)
    assert outcomes == {"succeeded": 50}, errors
    assert sleeps_in_tasks == Counter()
    assert Endpoint.objects.filter(name__startswith="fleet-", status="running").count() == 50
    assert sync.sync_namespace(team.namespace).seen == 50


def test_an_update_of_a_paused_endpoint_ends_once_applied(team: Team, celery_worker, hubsim) -> None:
    endpoint = create_running(team)
    assert finished(operations.pause_endpoint(team.actor(), endpoint)).state == "succeeded"
    endpoint.refresh_from_db()
    update = EndpointUpdate(min_replica=0, max_replica=2)
    operation = finished(operations.update_endpoint(team.actor(), endpoint, update), timeout=20)
    assert operation.state == "succeeded", operation.error
    endpoint.refresh_from_db()
    assert (endpoint.status, endpoint.max_replica) == ("paused", 2)


def test_a_scale_to_zero_whose_answer_shows_the_goal_ends_without_a_check(
    team: Team, celery_worker, hubsim
) -> None:
    # The API answers the scale-to-zero with the endpoint already scaledToZero. Waiting for a check instead
    # lost the goal whenever a request woke the endpoint first: the operation then waited 30 minutes.
    endpoint = create_running(team)
    operation = finished(operations.scale_endpoint_to_zero(team.actor(), endpoint))

    assert (operation.state, operation.attempts, operation.remote_state) == ("succeeded", 0, "scaledToZero")
    assert operation.endpoint == endpoint


def test_removing_the_token_ends_a_waiting_operation_at_once(team: Team, celery_worker, hubsim) -> None:
    hubsim.control.inject_fault("GET", "/e/*/health", 503, times=1000)  # it never becomes healthy
    operation = operations.create_endpoint(team.actor(), team.namespace, gemma_spec())
    wait_until(lambda: Operation.objects.get(pk=operation.pk).attempts >= 2, what="the checks to begin")

    credentials.remove_credential(team.actor("admin"), team.credential)
    operation = finished(operation, timeout=20)
    assert operation.state == "failed"
    assert "No Hugging Face token reaches the namespace demo" in operation.error


def test_a_change_in_a_shared_listing_wakes_the_operation_it_concerns(
    team: Team, transactional_db: None, hubsim, settings, request: pytest.FixtureRequest
) -> None:
    """Two endpoints deploying, and only the first one's operation has checks coming. When the second comes
    up, a check of the first lists the namespace, sees it and wakes the second's operation, whose own next
    check is 9 s away (and, in this test, would never come)."""
    settings.OPERATION_POLL_MAX_SECONDS = 10
    first, second = (
        operations.create_endpoint(team.actor(), team.namespace, gemma_spec(f"wake-{index}"))
        for index in (1, 2)
    )
    for operation in (first, second):
        runner.start(operation.pk)  # the create call, here rather than in a worker: no checks follow
        hubsim.control.set_state("demo", operation.endpoint_name, "initializing")  # until told otherwise
    Operation.objects.filter(pk=second.pk).update(next_check_at=timezone.now() + timedelta(seconds=9))

    request.getfixturevalue("celery_worker")
    queue.send(tasks.check_operation, first.pk)
    wait_until(lambda: Operation.objects.get(pk=first.pk).attempts >= 2, what="the first one's checks")
    hubsim.control.set_state("demo", second.endpoint_name, "running")

    assert finished(second, timeout=5).state == "succeeded"
    first.refresh_from_db()
    assert first.state == "waiting"
    hubsim.control.set_state("demo", first.endpoint_name, "running")
    assert finished(first).state == "succeeded"
