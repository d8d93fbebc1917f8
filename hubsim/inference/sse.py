"""Server-sent events as the engines write them: every engine writes ``data: {json}`` with a space (axum
0.7's ``Event`` for TGI and TEI, ``f"data: {json}\\n\\n"`` in vLLM and SGLang, ``format_oai_sse`` in
llama.cpp), and the OpenAI-style routes end with ``data: [DONE]``.
"""

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

from starlette.responses import StreamingResponse

DONE = b"data: [DONE]\n\n"


def data_event(payload: Any) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def event_stream(events: AsyncIterator[bytes], headers: Mapping[str, str] | None = None) -> StreamingResponse:
    return StreamingResponse(
        events, media_type="text/event-stream", headers={"Cache-Control": "no-cache", **(headers or {})}
    )
