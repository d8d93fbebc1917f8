"""A worker SIGKILLed in the middle of a create-and-wait: a new worker finishes the operation exactly once."""

import pytest

from endpoints_app.models import AuditEntry, Endpoint, StatusEvent
from endpoints_app.services import operations
from tests.core.test_operations import gemma_spec
from tests.fixtures.team import Team
from tests.reliability.workers import WorkerProcess, enqueue_through, isolated_broker_url
from tests.waiting import finished, wait_until


@pytest.mark.slow
@pytest.mark.concurrency
def test_a_killed_worker_leaves_nothing_undone_or_done_twice(team: Team, hubsim, tmp_path) -> None:
    broker = isolated_broker_url()
    first, second = WorkerProcess(broker, tmp_path, "first"), WorkerProcess(broker, tmp_path, "second")
    # The first status check of the new endpoint hangs for 2 s inside hubsim: the worker dies during it.
    hubsim.control.inject_fault("GET", "/v2/endpoint/demo/crash-001", latency_ms=2000, times=1)
    first.start()
    try:
        with enqueue_through(broker):
            operation = operations.create_endpoint(team.actor(), team.namespace, gemma_spec("crash-001"))
        wait_until(lambda: not hubsim.control.faults(), timeout=60, what="the first check to be in flight")
        operation.refresh_from_db()
        assert operation.state == "waiting"
        first.kill()

        second.start()
        operation = finished(operation, timeout=60)
    finally:
        first.kill()
        second.stop()

    assert operation.state == "succeeded", operation.error
    assert hubsim.control.request_counts()["by_route"]["POST /v2/endpoint/{namespace}"] == 1
    assert AuditEntry.objects.filter(operation=operation, result="succeeded").count() == 1
    endpoint = Endpoint.objects.get(name="crash-001")
    assert StatusEvent.objects.filter(endpoint=endpoint, to_status="running").count() == 1
