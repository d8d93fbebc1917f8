"""Fault injection: the next N requests matching a method and a path pattern fail or slow down.

A fault answers with ``status`` (429 with ``Retry-After``, or a 5xx) and/or waits ``latency_ms``. ``when``
says whether the request is handled at all:

- ``"before"`` (default): the fault strikes before hubsim handles the request; with no status the request
  then goes on as usual, only later;
- ``"after"``: hubsim handles the request (the endpoint really is created, paused, ...) and the client gets
  the fault's status instead of the answer (a proxy's lost answer), or the answer ``latency_ms`` late.

Patterns are shell-style globs on the request path (``/v2/endpoint/*``, ``/e/*/generate_stream``); the
method ``*`` matches every method. Requests to the control API are never faulted.
"""

import asyncio
import fnmatch
import itertools
import time
from dataclasses import asdict, dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubsim.http_errors import error_response

CONTROL_PREFIX = "/_sim"
WHEN = ("before", "after")
_fault_ids = itertools.count(1)


@dataclass
class Fault:
    id: int
    method: str
    path_pattern: str
    status: int | None
    times: int
    retry_after: int | None = None
    latency_ms: float = 0.0
    message: str | None = None
    when: str = "before"

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method.upper()) and fnmatch.fnmatchcase(path, self.path_pattern)

    def describe(self) -> dict:
        return asdict(self)


class FaultBook:
    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(
        self,
        method: str,
        path_pattern: str,
        status: int | None,
        *,
        times: int = 1,
        retry_after: int | None = None,
        latency_ms: float = 0.0,
        message: str | None = None,
        when: str = "before",
    ) -> Fault:
        if status is not None and not (status == 429 or 500 <= status <= 599):
            raise ValueError("a fault's status must be 429 or a 5xx")
        if status is None and latency_ms <= 0:
            raise ValueError("a fault needs a status, a latency or both")
        if times < 1:
            raise ValueError("times must be at least 1")
        if when not in WHEN:
            raise ValueError(f"when must be one of {WHEN}")
        fault = Fault(
            next(_fault_ids),
            method.upper(),
            path_pattern,
            status,
            times,
            retry_after,
            latency_ms,
            message,
            when,
        )
        self.faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, used up by one."""
        for fault in self.faults:
            if fault.matches(method, path):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self.faults.clear()


class FaultMiddleware:
    def __init__(self, app: ASGIApp, book: FaultBook) -> None:
        self.app = app
        self.book = book

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = None
        if scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            fault = self.book.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
            return
        scope["hubsim.fault"] = fault.id  # the request log shows which fault touched the request
        if fault.when == "after":
            await self._after(fault, scope, receive, send)
            return
        await _sleep(fault)
        if fault.status is None:
            await self.app(scope, receive, send)
        else:
            await _fault_response(fault)(scope, receive, send)

    async def _after(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        answer: list[Message] = []

        async def hold(message: Message) -> None:
            answer.append(message)

        await self.app(scope, receive, hold)
        await _sleep(fault)
        if fault.status is None:
            for message in answer:
                await send(message)
        else:
            await _fault_response(fault)(scope, receive, send)


async def _sleep(fault: Fault) -> None:
    """At least `latency_ms` (asyncio may wake a timer a hair early by its own clock)."""
    deadline = time.perf_counter() + fault.latency_ms / 1000
    while (remaining := deadline - time.perf_counter()) > 0:
        await asyncio.sleep(remaining)


def _fault_response(fault: Fault):
    overloaded = fault.status == 429
    message = fault.message or (
        "Too many requests: rate limit reached" if overloaded else "Internal server error"
    )
    return error_response(
        fault.status,
        message,
        # One body that reads as an API error ({"error"}) and as a TGI error ({"error", "error_type"}).
        error_type="overloaded" if overloaded else "fault",
        headers={"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None,
    )
