"""Redis restarts under a worker holding unacknowledged messages (a countdown it keeps until due, and a task
in flight, as while any operation waits or runs): the worker reconnects and goes on, and nothing is lost."""

from collections.abc import Iterator

import pytest

from endpoints_app import tasks
from endpoints_app.services import operations, queue
from tests.core.test_operations import gemma_spec
from tests.fixtures.live_server import free_port
from tests.fixtures.redis_server import RedisServer
from tests.fixtures.team import Team
from tests.reliability.workers import WorkerProcess, enqueue_through
from tests.waiting import finished, wait_until


@pytest.fixture
def broker_server() -> Iterator[RedisServer]:
    """A redis-server of the test's own, to restart without touching the session's."""
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.mark.slow
def test_the_worker_outlives_a_redis_restart(
    team: Team, hubsim, broker_server: RedisServer, tmp_path
) -> None:
    broker = f"redis://127.0.0.1:{broker_server.port}/0"
    worker = WorkerProcess(broker, tmp_path, "survivor")
    # The create's API call takes 2 s: it is still in flight when Redis goes away, and it ends before
    # RECONCILE_GRACE_SECONDS (3 s here), after which reconcile would rightly take the call for abandoned.
    hubsim.control.inject_fault("POST", "/v2/endpoint/*", latency_ms=2000)
    worker.start()
    try:
        with enqueue_through(broker):
            queue.send(tasks.reconcile_operations, countdown=600)  # kept by the worker, unacknowledged
            in_flight = operations.create_endpoint(team.actor(), team.namespace, gemma_spec("in-flight"))
        wait_until(lambda: not hubsim.control.faults(), timeout=30, what="the create to be in flight")
        assert "] received" in worker.log.read_text()  # the countdown, held

        broker_server.stop()
        try:
            wait_until(
                lambda: "Connection to broker lost" in worker.log.read_text(), what="the worker to notice"
            )
        finally:
            broker_server.start()
        wait_until(
            lambda: (
                worker.process.poll() is not None or worker.log.read_text().count("Connected to redis") > 1
            ),
            what="the worker to reconnect or stop",
        )
        assert worker.process.poll() is None, worker.log.read_text()[-3000:]

        assert finished(in_flight, timeout=60).state == "succeeded", in_flight.error
        with enqueue_through(broker):
            after = operations.create_endpoint(team.actor(), team.namespace, gemma_spec("after-restart"))
        assert finished(after, timeout=60).state == "succeeded", after.error
    finally:
        worker.stop()
