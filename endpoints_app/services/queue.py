"""Handing work to the Celery workers; a broker that does not answer becomes an ActionRefused."""

import logging

from celery import current_app
from kombu.exceptions import OperationalError

from endpoints_app.services.errors import ActionRefused

logger = logging.getLogger(__name__)

QUEUE_DOWN_MESSAGE = (
    "The task queue (Redis) does not answer, so nothing was started. Pages still show the last known state; "
    "try again in a minute."
)


def send(task_name: str, *args: object, countdown: float | None = None) -> None:
    """Enqueues `endpoints_app.tasks.<task_name>` by name (services never import the task modules)."""
    try:
        current_app.send_task(
            f"endpoints_app.tasks.{task_name}",
            args=args,
            countdown=countdown,
            # No task's result is ever read (CELERY_TASK_IGNORE_RESULT). Without this, sending by name
            # subscribes to the result first, which with Redis down retries for ~20 s and then raises a
            # RuntimeError: the page hangs, then fails, instead of the refusal below.
            ignore_result=True,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        )
    except OperationalError as error:
        logger.error("Could not enqueue %s: %s", task_name, error)
        raise ActionRefused(QUEUE_DOWN_MESSAGE) from error
