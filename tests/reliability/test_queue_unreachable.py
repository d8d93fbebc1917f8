"""Handing work to the task queue while Redis does not answer is refused at once, not after a long hang."""

import time

import pytest
from celery import Celery, current_app

from endpoints_app import tasks
from endpoints_app.services import queue
from endpoints_app.services.errors import ActionRefused
from tests.fixtures.live_server import free_port


def test_work_for_an_unreachable_queue_is_refused_at_once() -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    unreachable = Celery("unreachable", broker=nowhere, backend=nowhere, set_as_current=False)
    usual = current_app._get_current_object()
    unreachable.set_current()
    started = time.monotonic()
    try:
        with pytest.raises(ActionRefused, match=r"The task queue \(Redis\) does not answer"):
            queue.send(tasks.reconcile_operations)
    finally:
        usual.set_current()
    assert time.monotonic() - started < 3
