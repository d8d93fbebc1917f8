"""A burst of actions from one person, sent at the same moment: the per-minute allowance is counted once
for all of them (an atomic counter in the shared Redis), whatever the number of clients."""

from datetime import UTC, datetime

import pytest
import time_machine

from endpoints_app.models import AuditEntry, Operation
from endpoints_app.services import operations
from endpoints_app.services.errors import ActionRefused
from tests.concurrency.at_once import at_once
from tests.core.test_operations import gemma_spec
from tests.fixtures.team import Team

pytestmark = pytest.mark.concurrency
MID_MINUTE = datetime(2030, 3, 4, 9, 0, 20, tzinfo=UTC)  # the burst stays within one minute's window


def test_twelve_actions_at_once_with_five_allowed_start_five(team: Team, settings, redis_client) -> None:
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 5
    redis_client.flushdb()

    def create(index: int):
        spec = gemma_spec(f"burst-{index:03d}")
        return lambda: operations.create_endpoint(team.actor(), team.namespace, spec)

    with time_machine.travel(MID_MINUTE, tick=True):
        outcomes = at_once(*(create(index) for index in range(12)))

    refused = [outcome for outcome in outcomes if isinstance(outcome, ActionRefused)]
    assert len(refused) == 7, outcomes
    assert all("Too many actions in a minute" in str(refusal) for refusal in refused)
    assert Operation.objects.count() == 5
    assert AuditEntry.objects.filter(result="refused", message="rate limited").count() == 7
