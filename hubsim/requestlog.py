"""The request log: counts per route template and per endpoint, and one entry per request.

Each entry records whether the response was closed early by the client (the body was still streaming when
the client went away), so a test can show that a "Stop" in a UI ended the upstream request, and the names of
the headers the request carried (never their values: a token stays out of the log), so a test can show what a
client sent, e.g. no `authorization` to a public endpoint. Requests to the control API are not logged.
"""

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubsim.faults import CONTROL_PREFIX

MAX_ENTRIES = 5000


@dataclass
class LoggedRequest:
    id: int
    method: str
    path: str
    route: str | None  # "POST /e/{endpoint_id}/generate_stream"; None when no route matched
    endpoint: str | None  # "namespace/name" of the endpoint the request concerns
    status: int | None = None
    streamed: bool = False
    completed: bool = False  # the whole response body was sent
    finished: bool = False  # hubsim is done with the request (answered, or the client went away)
    closed_early: bool = False
    fault: int | None = None
    duration_ms: float = 0.0
    headers: list[str] = field(default_factory=list)  # the names of the request's headers, lowercase


class RequestLog:
    def __init__(self) -> None:
        self.entries: deque[LoggedRequest] = deque(maxlen=MAX_ENTRIES)
        self.by_route: Counter[str] = Counter()
        self.by_endpoint: Counter[str] = Counter()
        self.total = 0

    def open(
        self, method: str, path: str, route: str | None, endpoint: str | None, headers: list[str]
    ) -> LoggedRequest:
        self.total += 1
        entry = LoggedRequest(self.total, method, path, route, endpoint, headers=headers)
        self.entries.append(entry)
        if route:
            self.by_route[route] += 1
        if endpoint:
            self.by_endpoint[endpoint] += 1
        return entry

    def counts(self) -> dict:
        return {"total": self.total, "by_route": dict(self.by_route), "by_endpoint": dict(self.by_endpoint)}

    def describe(self) -> list[dict]:
        return [asdict(entry) for entry in self.entries]

    def clear(self) -> None:
        self.entries.clear()
        self.by_route.clear()
        self.by_endpoint.clear()
        self.total = 0


EndpointNamer = Callable[[dict], str | None]  # a route's path params -> "namespace/name" or None


class RequestLogMiddleware:
    def __init__(
        self, app: ASGIApp, log: RequestLog, routes: list[Route], name_endpoint: EndpointNamer
    ) -> None:
        self.app = app
        self.log = log
        self.routes = routes
        self.name_endpoint = name_endpoint

    def _route_of(self, scope: Scope) -> tuple[str | None, dict]:
        for route in self.routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return f"{scope['method']} {route.path}", child_scope.get("path_params", {})
        return None, {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        route, params = self._route_of(scope)
        header_names = sorted({name.decode("latin-1").lower() for name, _ in scope["headers"]})
        entry = self.log.open(scope["method"], scope["path"], route, self.name_endpoint(params), header_names)
        started = time.perf_counter()

        def finish(*, completed: bool) -> None:
            entry.fault = scope.get("hubsim.fault")
            entry.completed = completed
            entry.closed_early = not completed
            entry.duration_ms = round((time.perf_counter() - started) * 1000, 3)
            entry.finished = True

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.status = message["status"]
                headers = dict(message.get("headers", []))
                entry.streamed = headers.get(b"content-type", b"").startswith(b"text/event-stream")
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                finish(completed=True)  # before the client can read the answer and then the log
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        finally:
            if not entry.finished:
                finish(completed=False)
