"""Reading the playground's server-sent events in tests."""

import json
from typing import Any

from asgiref.sync import async_to_sync
from django.http import StreamingHttpResponse


def parse_events(raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in raw.decode().split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def events_of(response: StreamingHttpResponse) -> list[tuple[str, dict[str, Any]]]:
    assert response.status_code == 200, response.content
    return parse_events(async_to_sync(_read)(response))


async def _read(response: StreamingHttpResponse) -> bytes:
    return b"".join([chunk async for chunk in response])


def answer_text(events: list[tuple[str, dict[str, Any]]]) -> str:
    return "".join(data["text"] for name, data in events if name == "token")


def last(events: list[tuple[str, dict[str, Any]]], name: str) -> dict[str, Any]:
    return [data for event, data in events if event == name][-1]
