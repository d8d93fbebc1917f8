"""Server-sent events exactly as the real clients parse them.

TGI's ``/generate_stream`` writes ``data:{json}`` (no space); the OpenAI-style routes write ``data: {json}``
and end with ``data: [DONE]`` (the client compares that line with the space).
"""

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import StreamingResponse

DONE = b"data: [DONE]\n\n"


def tgi_event(payload: dict[str, Any]) -> bytes:
    return b"data:" + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def openai_event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def event_stream(events: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
