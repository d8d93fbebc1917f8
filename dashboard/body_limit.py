"""Request bodies are bounded before Django reads them: an ASGI middleware around the whole application.

Django reads a request's whole body (into a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE) before any
view or size check runs, even for an anonymous POST to the login page. Here a body whose Content-Length is
over its limit is answered 413 at once, before a byte of it is read; a body sent without one (chunked) is
counted as it streams in, and the request ends with a 413 the moment it passes the limit (Django then sees
the client gone and drops what it had read).

The limit is REQUEST_BODY_MAX_BYTES, except on the upload route, where it is PLAYGROUND_UPLOAD_MAX_BYTES
plus room for the multipart envelope (UPLOAD_ENVELOPE_BYTES).
"""

from functools import cache

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_ROUTE = "playground:upload"
UPLOAD_ENVELOPE_BYTES = 64 * 1024  # the multipart boundaries, headers and the form's other fields


@cache
def _upload_path() -> str:
    try:
        return reverse(UPLOAD_ROUTE)
    except NoReverseMatch:  # a deployment without the playground
        return ""


def body_limit(path: str) -> int:
    """The most bytes a request body to `path` may have."""
    if path == _upload_path():
        return settings.PLAYGROUND_UPLOAD_MAX_BYTES + UPLOAD_ENVELOPE_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _too_large(send: Send, limit: int) -> None:
    body = f"Request body too large: at most {filesizeformat(limit)} here.\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        received = 0
        refused = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    await _too_large(send, limit)
                    return {"type": "http.disconnect"}  # Django stops reading and answers nothing
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # after the 413, the application has nothing more to say
                await send(message)

        await self.app(scope, counted_receive, guarded_send)
