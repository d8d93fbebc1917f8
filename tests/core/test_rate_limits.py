"""Per-user rate limits on actions, counted in the real Redis."""

import asyncio
from dataclasses import replace

import pytest

from dashboard import rate_limits
from endpoints_app.models import AuditEntry, Operation
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused
from tests.core.test_operations import gemma_spec
from tests.fixtures.team import Team


def test_a_user_over_the_action_limit_is_refused(team: Team, settings, redis_client) -> None:
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 2
    redis_client.flushdb()
    for index in range(2):
        operations.create_endpoint(team.actor(), team.namespace, gemma_spec(f"limited-{index:03d}"))
    with pytest.raises(ActionRefused, match="Too many actions in a minute"):
        operations.create_endpoint(team.actor(), team.namespace, gemma_spec("limited-002"))
    assert Operation.objects.count() == 2
    assert AuditEntry.objects.filter(result="refused", message="rate limited").count() == 1


def test_the_limit_is_per_user(team: Team, settings, redis_client) -> None:
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 1
    redis_client.flushdb()
    assert rate_limits.allow(rate_limits.ACTIONS, team.operator.pk)
    assert not rate_limits.allow(rate_limits.ACTIONS, team.operator.pk)
    assert rate_limits.allow(rate_limits.ACTIONS, team.admin.pk)


def test_policies_are_not_rate_limited(team: Team, settings, redis_client) -> None:
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 0
    operation = operations.create_endpoint(Actor.automatic("test policy"), team.namespace, gemma_spec())
    assert operation.automatic_reason == "test policy"


def test_the_async_check_shares_the_count(settings, redis_client) -> None:
    settings.RATE_LIMIT_PLAYGROUND_PER_MINUTE = 1
    redis_client.flushdb()
    assert asyncio.run(rate_limits.allow_async(rate_limits.PLAYGROUND_SENDS, 7))
    assert not rate_limits.allow(rate_limits.PLAYGROUND_SENDS, 7)


def test_a_request_counted_by_its_caller_is_not_counted_again(team: Team, settings, redis_client) -> None:
    """One bulk request acting on many endpoints counts once (the admin's bulk actions)."""
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 1
    redis_client.flushdb()
    actor = replace(team.actor(), rate_limit_counted=True)
    for index in range(3):
        operations.create_endpoint(actor, team.namespace, gemma_spec(f"bulk-{index:03d}"))
    assert Operation.objects.count() == 3
