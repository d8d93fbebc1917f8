"""Deliveries of one operation's tasks at the same moment (a broker redelivering, the reconcile sweep picking
up what a dead worker left): each step is claimed by a conditional UPDATE, so only one of them acts."""

import threading
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from endpoints_app import tasks
from endpoints_app.hf import HfGateway
from endpoints_app.models import AuditEntry, Operation
from endpoints_app.services import operations, runner
from tests.concurrency.at_once import at_once, meet
from tests.core.test_operations import gemma_spec
from tests.fixtures.team import Team

pytestmark = pytest.mark.concurrency
CREATE_ROUTE = "POST /v2/endpoint/{namespace}"


def queued_create(team: Team, name: str) -> Operation:
    """A create requested through the service; no worker takes its task (the test runs the steps)."""
    return operations.create_endpoint(team.actor(), team.namespace, gemma_spec(name))


def errors(outcomes: list) -> list[Exception]:
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]


def test_four_deliveries_of_a_queued_operation_at_once_send_one_create(team: Team, hubsim) -> None:
    operation = queued_create(team, "claim-001")

    outcomes = at_once(*[partial(runner.start, operation.pk)] * 4)

    assert errors(outcomes) == []
    assert sum(outcome is not None for outcome in outcomes) == 1  # one of them goes on to the checks
    assert hubsim.control.request_counts()["by_route"][CREATE_ROUTE] == 1
    operation.refresh_from_db()
    assert (operation.state, operation.error) == ("waiting", "")


def test_four_checks_of_a_waiting_operation_at_once_make_one_check(team: Team, hubsim) -> None:
    operation = queued_create(team, "lease-001")
    runner.start(operation.pk)
    hubsim.control.advance(1)  # the endpoint runs: the next check ends the operation
    Operation.objects.filter(pk=operation.pk).update(next_check_at=timezone.now())

    outcomes = at_once(*[partial(runner.check, operation.pk)] * 4)

    assert errors(outcomes) == []
    operation.refresh_from_db()
    assert (operation.state, operation.attempts) == ("succeeded", 1)
    assert AuditEntry.objects.filter(operation=operation, result="succeeded").count() == 1


def test_an_operation_a_dead_worker_left_calling_is_called_once_by_two_pickups(
    team: Team, hubsim, monkeypatch
) -> None:
    """The worker died during the create call (its heartbeat is an hour old): the reconcile sweep sends the
    operation again while the broker also redelivers it; both deliveries run at once."""
    operation = queued_create(team, "orphan-001")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Operation.objects.filter(pk=operation.pk).update(
        state="calling", started_at=an_hour_ago, heartbeat_at=an_hour_ago
    )
    assert tasks.reconcile_operations() == 1
    # A pickup about to send the create waits for the other one there: had both got past the claim, both
    # would have looked for the endpoint before either created it, and both would create it.
    both_creating = threading.Barrier(2)
    create_endpoint = HfGateway.create_endpoint

    def meet_then_create(gateway: HfGateway, *args, **kwargs):
        meet(both_creating)
        return create_endpoint(gateway, *args, **kwargs)

    monkeypatch.setattr(HfGateway, "create_endpoint", meet_then_create)

    outcomes = at_once(*[partial(tasks.run_operation, operation.pk)] * 2)

    assert errors(outcomes) == []
    assert hubsim.control.request_counts()["by_route"][CREATE_ROUTE] == 1
    operation.refresh_from_db()
    assert (operation.state, operation.error) == ("waiting", "")
