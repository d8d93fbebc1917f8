"""Waiting in tests for something another process does: poll with a deadline, never a fixed sleep."""

import time
from collections.abc import Callable
from typing import TypeVar

from endpoints_app.models import Operation

T = TypeVar("T")


def wait_until(condition: Callable[[], T], *, timeout: float = 30.0, what: str = "the condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")
        time.sleep(0.05)


def finished(operation: Operation, *, timeout: float = 30.0) -> Operation:
    """The operation once it has succeeded or failed (fails the test after `timeout`)."""

    def done() -> Operation | None:
        operation.refresh_from_db()
        return None if operation.is_active else operation

    return wait_until(done, timeout=timeout, what=f"{operation} to finish")
