"""What the soak benchmark (bench.soak) checks once the console has settled: operations lost or duplicated,
from the database, the people's ledger of accepted actions, and hubsim's request log."""

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.soak_users import Accepted
from hubsim.requestlog import MAX_ENTRIES

CREATE_ROUTE = "POST /v2/endpoint/{namespace}"
CLOCK_SLACK = timedelta(seconds=2)  # between the person's clock reading and the row's created_at


class RequestLogWatcher:
    """Keeps every request hubsim logged, though its log holds only the last MAX_ENTRIES: reads the log
    again whenever half as many requests have gone by."""

    def __init__(self, control: Any) -> None:
        self._control = control  # hubsim.testing.SimControl
        self._seen = 0
        self.entries: dict[int, dict] = {}

    def read(self) -> None:
        for entry in self._control.request_log():
            self.entries[entry["id"]] = entry
        self._seen = max(self.entries, default=0)

    async def run(self, until: float) -> None:
        while time.monotonic() < until:
            counts = await asyncio.to_thread(self._control.request_counts)
            if counts["total"] - self._seen > MAX_ENTRIES // 2:
                await asyncio.to_thread(self.read)
            await asyncio.sleep(1)

    def creates_sent_twice(self) -> list[dict]:
        """Creates hubsim refused because the name was taken: each a create sent again (the people's names
        are new, and the console checks its mirror before it asks)."""
        return [e for e in self.entries.values() if e["route"] == CREATE_ROUTE and e["status"] == 409]


@dataclass(frozen=True)
class Findings:
    stuck: list[str]  # operations still active after the settle
    unrecorded: list[Accepted]  # actions the console accepted without an Operation for them
    finished_twice: list[str]  # operations whose outcome was recorded more than once
    creates_sent_twice: list[dict]  # hubsim's log entries of the second create of an endpoint

    @property
    def lost(self) -> int:
        return len(self.stuck) + len(self.unrecorded)

    @property
    def duplicated(self) -> int:
        return len(self.finished_twice) + len(self.creates_sent_twice)


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _recorded(note: Accepted, taken: set[int]) -> int | None:
    """The Operation the console recorded for an accepted action (not one matched already), or None."""
    from endpoints_app.models import Endpoint, Operation

    mine = Operation.objects.filter(requested_by_id=note.user_id, kind=note.kind).exclude(pk__in=taken)
    if note.operation_id is not None:
        return mine.filter(pk=note.operation_id).values_list("pk", flat=True).first()
    if note.endpoint_id is not None:
        endpoint = Endpoint.objects.get(pk=note.endpoint_id)
        namespace_id, name = endpoint.namespace_id, endpoint.name
    else:
        namespace_id, name = note.namespace_id, note.name
    window = (_moment(note.sent_at) - CLOCK_SLACK, _moment(note.answered_at) + CLOCK_SLACK)
    matching = mine.filter(namespace_id=namespace_id, endpoint_name=name, created_at__range=window)
    return matching.values_list("pk", flat=True).first()


def find(accepted: list[Accepted], watcher: RequestLogWatcher) -> Findings:
    from django.db.models import Count, Q

    from endpoints_app.models import Operation
    from endpoints_app.models.operations import ACTIVE_STATES

    taken: set[int] = set()
    unrecorded = []
    for note in accepted:
        found = _recorded(note, taken)
        if found is None:
            unrecorded.append(note)
        else:
            taken.add(found)
    outcomes = Q(audit_entries__result__in=["succeeded", "failed"])
    twice = Operation.objects.annotate(outcomes=Count("audit_entries", filter=outcomes)).filter(
        outcomes__gt=1
    )
    watcher.read()
    return Findings(
        stuck=[str(operation) for operation in Operation.objects.filter(state__in=ACTIVE_STATES)],
        unrecorded=unrecorded,
        finished_twice=[str(operation) for operation in twice],
        creates_sent_twice=watcher.creates_sent_twice(),
    )
