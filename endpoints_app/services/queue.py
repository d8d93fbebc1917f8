"""Handing work to the Celery workers: a task is sent once the transaction that wrote what it reads commits,
and a broker that does not answer becomes an ActionRefused at once (not after a long hang)."""

import logging
from functools import partial

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from endpoints_app.services.errors import ActionRefused

logger = logging.getLogger(__name__)

QUEUE_DOWN_MESSAGE = (
    "The task queue (Redis) does not answer, so nothing was started. Pages still show the last known state; "
    "try again in a minute."
)


def send(task: Task, *args: object, countdown: float | None = None) -> None:
    """Enqueues `task` now (for work whose rows are already committed)."""
    try:
        task.apply_async(
            args,
            countdown=countdown,
            # No task's result is ever read (CELERY_TASK_IGNORE_RESULT). Without this, sending subscribes to
            # the result first, which with Redis down retries for ~20 s and then raises a RuntimeError: the
            # page hangs, then fails, instead of the refusal below.
            ignore_result=True,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        )
    except OperationalError as error:
        logger.error("Could not enqueue %s: %s", task.name, error)
        raise ActionRefused(QUEUE_DOWN_MESSAGE) from error


def send_on_commit(task: Task, *args: object) -> None:
    """Enqueues `task` once the current transaction commits (at once outside a transaction), so that a worker
    never looks for a row that is not there yet. A refusal is raised where the transaction ends."""
    transaction.on_commit(partial(send, task, *args))
