"""Each endpoint's logs, per replica: build lines (a deployment's steps) and runtime lines (replicas ready,
stopped, failed, and every request they served), written when those events happen on hubsim's clock.

The Logs tab of the hosted UI (hf-endpoints-documentation ``guides/logs.md``) shows, per replica, lines with
a timestamp (UTC), a level and the content, the latest 50 first and older ones on "Load More"; build logs
and runtime logs are separate views (the guide's screenshots). The wording of each line is hubsim's
(assumed): the real lines are the container's own output.
"""

import itertools
from collections import deque
from dataclasses import dataclass
from typing import Any

from hubsim.clock import isoformat
from hubsim.endpoints.deployment import engine_name
from hubsim.endpoints.images import health_route, image_variant
from hubsim.endpoints.record import EndpointRecord
from hubsim.observability.traffic import ServedRequest

BUILD, RUNTIME = "build", "runtime"
KINDS = (BUILD, RUNTIME)
LEVELS = ("info", "warn", "error")  # from least to most severe
MAX_LINES = 10_000  # per endpoint; the oldest go first


@dataclass(frozen=True)
class LogLine:
    seq: int  # order of writing, across endpoints: the cursor of "load more"
    at: float
    replica: str
    kind: str
    level: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "timestamp": isoformat(self.at),
            "replica": self.replica,
            "kind": self.kind,
            "level": self.level,
            "message": self.message,
        }


@dataclass(frozen=True)
class LogQuery:
    replica: str | None = None
    kind: str | None = None
    level: str = LEVELS[0]  # the least severe level shown
    since: float | None = None
    until: float | None = None
    before: int | None = None  # the cursor: lines written before this one
    limit: int = 50

    def matches(self, line: LogLine) -> bool:
        return (
            (self.replica is None or line.replica == self.replica)
            and (self.kind is None or line.kind == self.kind)
            and LEVELS.index(line.level) >= LEVELS.index(self.level)
            and (self.since is None or line.at >= self.since)
            and (self.until is None or line.at <= self.until)
            and (self.before is None or line.seq < self.before)
        )


class LogBook:
    def __init__(self) -> None:
        self.lines: dict[str, deque[LogLine]] = {}
        self._seq = itertools.count(1)

    def write(self, endpoint_id: str, at: float, replica: str, kind: str, level: str, message: str) -> None:
        lines = self.lines.setdefault(endpoint_id, deque(maxlen=MAX_LINES))
        lines.append(LogLine(next(self._seq), at, replica, kind, level, message))

    def page(self, endpoint_id: str, query: LogQuery) -> tuple[list[LogLine], int | None]:
        """The latest ``limit`` lines that match, oldest first, and the cursor of the lines before them."""
        matching = [line for line in self.lines.get(endpoint_id, ()) if query.matches(line)]
        page = matching[-query.limit :]
        more = len(matching) > len(page)
        return page, (page[0].seq if more else None)

    def entered(
        self, record: EndpointRecord, state: str, message: str, at: float, replicas: list[str]
    ) -> None:
        for kind, level, text in _state_lines(record, state, message):
            for replica in replicas:
                self.write(record.id, at, replica, kind, level, text)

    def served(self, served: ServedRequest) -> None:
        level = "error" if served.status >= 500 else "warn" if served.status >= 400 else "info"
        text = f'"{served.method} {served.route} HTTP/1.1" {served.status} ({served.duration * 1000:.0f} ms)'
        self.write(served.endpoint_id, served.at, served.replica, RUNTIME, level, text)

    def forget(self, endpoint_id: str) -> None:
        self.lines.pop(endpoint_id, None)

    def clear(self) -> None:
        self.lines.clear()


def _state_lines(record: EndpointRecord, state: str, message: str) -> list[tuple[str, str, str]]:
    """What a replica logs when its endpoint enters ``state``: (kind, level, text) lines."""
    spec = record.spec
    model, compute, provider = spec["model"], spec["compute"], spec["provider"]
    image = model["image"]
    engine = engine_name(spec)
    if state == "pending":
        where = f"{provider['vendor']}/{provider['region']}"
        hardware = f"{compute['instanceType']} {compute['instanceSize']} on {where}"
        return [(BUILD, "info", f"Deployment {record.deployment_id} scheduled: waiting for {hardware}")]
    if state in ("initializing", "updating"):
        source = image[image_variant(image)].get("url") or f"the {image_variant(image)} image"
        return [
            (BUILD, "info", f"Pulling {source}"),
            (BUILD, "info", f"Downloading {model['repository']} at {model['revision'][:7]} to /repository"),
            (BUILD, "info", f"Starting {engine}"),
        ]
    if state == "running":
        return [
            (RUNTIME, "info", f"{engine} is ready: the health check on {health_route(image)} answered 200")
        ]
    if state in ("failed", "updateFailed"):
        return [(BUILD, "error", message)]
    if state == "paused":
        return [(RUNTIME, "info", "Replica stopped: the endpoint was paused")]
    if state == "scaledToZero":
        return [(RUNTIME, "info", "Replica stopped: the endpoint scaled to zero")]
    return []
