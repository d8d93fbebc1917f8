"""Two people acting on one endpoint at the same moment: the partial unique constraint
`one_active_operation_per_endpoint` lets one operation start and refuses the other."""

import pytest

from endpoints_app.models import AuditEntry, Endpoint, Operation
from endpoints_app.services import operations
from endpoints_app.services.errors import OperationInProgress
from tests.concurrency.at_once import at_once
from tests.core.test_operations import create_running
from tests.fixtures.team import Team

pytestmark = pytest.mark.concurrency


def test_two_people_acting_at_the_same_moment_get_one_operation(team: Team, celery_worker, hubsim) -> None:
    endpoint = create_running(team)

    def pause_as(role: str):
        def pause() -> str:
            try:
                operations.pause_endpoint(team.actor(role), Endpoint.objects.get(pk=endpoint.pk))
            except OperationInProgress:
                return "refused"
            return "started"

        return pause

    outcomes = at_once(pause_as("operator"), pause_as("admin"))

    assert sorted(outcomes) == ["refused", "started"]
    assert Operation.objects.filter(kind="pause").count() == 1
    assert AuditEntry.objects.filter(action="pause", result="refused").count() == 1
