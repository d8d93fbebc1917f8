"""The traffic each endpoint really received: every request to its URL (``/e/{id}/...``) that reached a
replica, with its status, duration and replica. It feeds the OpenMetrics answer and the runtime logs.

The gate (``hubsim.inference.gate``) notes the replica that serves a request in the request's scope; requests
the proxy refuses before any replica sees them (401, 403, an endpoint paused or starting) have none and are
not counted (assumed: the analytics guide counts requests "by code and replicas").
"""

import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REPLICA_SCOPE_KEY = "hubsim.replica"
ENDPOINT_PATH = re.compile(r"^/e/(?P<endpoint_id>[^/]+)(?P<route>/.*)?$")
LATENCY_WINDOW = 10_000  # the latest requests whose latencies make the quantiles
BUSY_WINDOW_SECONDS = 60.0  # how far back hardware usage looks


@dataclass(frozen=True)
class ServedRequest:
    endpoint_id: str
    replica: str
    method: str
    route: str  # the path under the endpoint's URL, e.g. /v1/chat/completions
    status: int
    duration: float  # seconds
    at: float  # when it ended, on hubsim's clock


@dataclass
class EndpointTraffic:
    requests: Counter[tuple[str, int]] = field(default_factory=Counter)  # (replica, status) -> count
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))
    count: int = 0
    total_seconds: float = 0.0
    recent: deque[ServedRequest] = field(default_factory=deque)  # within the busy window

    def add(self, served: ServedRequest) -> None:
        self.requests[(served.replica, served.status)] += 1
        self.latencies.append(served.duration)
        self.count += 1
        self.total_seconds += served.duration
        self.recent.append(served)
        self._forget_before(served.at)

    def busy_share(self, replica: str, now: float) -> float:
        """The share of the last minute this replica spent serving requests (0 to 1)."""
        self._forget_before(now)
        busy = sum(served.duration for served in self.recent if served.replica == replica)
        return min(busy / BUSY_WINDOW_SECONDS, 1.0)

    def _forget_before(self, now: float) -> None:
        while self.recent and self.recent[0].at < now - BUSY_WINDOW_SECONDS:
            self.recent.popleft()


class TrafficBook:
    def __init__(self) -> None:
        self.endpoints: dict[str, EndpointTraffic] = {}

    def add(self, served: ServedRequest) -> None:
        self.endpoints.setdefault(served.endpoint_id, EndpointTraffic()).add(served)

    def of(self, endpoint_id: str) -> EndpointTraffic:
        return self.endpoints.get(endpoint_id) or EndpointTraffic()

    def forget(self, endpoint_id: str) -> None:
        self.endpoints.pop(endpoint_id, None)

    def clear(self) -> None:
        self.endpoints.clear()


class TrafficMiddleware:
    """Calls ``served`` once for each request to an endpoint URL that a replica answered."""

    def __init__(
        self, app: ASGIApp, served: Callable[[ServedRequest], None], now: Callable[[], float]
    ) -> None:
        self.app = app
        self.served = served
        self.now = now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = ENDPOINT_PATH.match(scope["path"]) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            replica = scope.get(REPLICA_SCOPE_KEY)
            if replica and status:
                self.served(
                    ServedRequest(
                        endpoint_id=match["endpoint_id"],
                        replica=replica,
                        method=scope["method"],
                        route=match["route"] or "/",
                        status=status[0],
                        duration=time.perf_counter() - started,
                        at=self.now(),
                    )
                )
