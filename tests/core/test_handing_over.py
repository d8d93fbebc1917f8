"""Work reaches the task queue once the rows it reads are committed, as a task named by its function; the
enqueues of the Namespaces page and of the create form go through services, rate-limited and audited."""

import base64
import json

import pytest
import redis
from django.db import transaction

from endpoints_app.models import AuditEntry
from endpoints_app.services import operations, refreshes
from endpoints_app.services.errors import ActionRefused, NotPermitted
from tests.core.test_operations import gemma_spec
from tests.fixtures.team import Team

TASK_QUEUE = "celery"  # the Redis list of Celery's default queue (no worker consumes it in these tests)


def queued_tasks(redis_client: redis.Redis) -> list[tuple[str, list]]:
    """(task name, arguments) of each message waiting in Redis, oldest first."""
    tasks = []
    for raw in reversed(redis_client.lrange(TASK_QUEUE, 0, -1)):  # kombu pushes on the left
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        tasks.append((message["headers"]["task"], args))
    return tasks


def test_an_operation_reaches_the_queue_once_committed(team: Team, redis_client: redis.Redis) -> None:
    redis_client.delete(TASK_QUEUE)  # the team's first syncs
    with transaction.atomic():
        operation = operations.create_endpoint(team.actor(), team.namespace, gemma_spec())
        assert queued_tasks(redis_client) == []  # a worker would not find the operation yet
    assert queued_tasks(redis_client) == [("endpoints_app.tasks.run_operation", [operation.pk])]


def test_nothing_is_queued_when_the_transaction_rolls_back(team: Team, redis_client: redis.Redis) -> None:
    redis_client.delete(TASK_QUEUE)
    with pytest.raises(RuntimeError), transaction.atomic():
        operations.create_endpoint(team.actor(), team.namespace, gemma_spec())
        raise RuntimeError("the request failed after asking")
    assert queued_tasks(redis_client) == []


def test_a_namespace_refresh_is_queued_and_audited(team: Team, redis_client: redis.Redis) -> None:
    redis_client.delete(TASK_QUEUE)
    refreshes.request_sync(team.actor(), team.namespace)
    refreshes.request_hardware(team.actor(), team.namespace)
    assert queued_tasks(redis_client) == [
        ("endpoints_app.tasks.sync_namespace", [team.namespace.pk]),
        ("endpoints_app.tasks.refresh_hardware", [team.namespace.pk]),
    ]
    audited = AuditEntry.objects.filter(target="demo").order_by("id")
    assert list(audited.values_list("actor_label", "action", "result")) == [
        ("otto", "sync_namespace", "requested"),
        ("otto", "refresh_hardware", "requested"),
    ]


def test_a_namespace_refresh_counts_against_the_rate_limit(team: Team, settings, redis_client) -> None:
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 1
    redis_client.flushdb()
    refreshes.request_sync(team.actor(), team.namespace)
    with pytest.raises(ActionRefused, match="Too many actions in a minute"):
        refreshes.request_sync(team.actor(), team.namespace)
    assert AuditEntry.objects.filter(
        action="sync_namespace", result="refused", message="rate limited"
    ).exists()


def test_viewers_do_not_refresh_namespaces(team: Team) -> None:
    with pytest.raises(NotPermitted):
        refreshes.request_sync(team.actor("viewer"), team.namespace)
