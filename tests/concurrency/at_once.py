"""Running actions at the same moment, each in a thread with its own database connection."""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(*actions: Callable[[], Any], timeout: float = 60.0) -> list[Any]:
    """Runs each action in a thread of its own, all released together. Returns what each returned, or the
    exception it raised, in the order given. Django gives every thread its own connection (with its own
    transactions): the database sees as many clients as there are actions."""
    start = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            start.wait(timeout)
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise AssertionError(f"An action running at once with others did not end within {timeout} s.")
    return outcomes


def meet(barrier: threading.Barrier) -> None:
    """Waits at `barrier` for the other threads; goes on alone if they do not come (a lock held by one of
    them may rightly keep them out), so that a test never hangs on its own synchronisation."""
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=5)
