"""Error responses in the shape the real clients read.

The Hub and the Endpoints API answer ``{"error": message}`` plus an ``X-Error-Message`` header (and
``X-Error-Code`` where the Hub client keys on it); TGI answers ``{"error": message, "error_type": kind}``.
"""

import re
from collections.abc import Mapping

from starlette.responses import JSONResponse

from hubsim.errors import ApiError


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    error_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    all_headers = {"X-Error-Message": header_safe(message), **(headers or {})}
    if code:
        all_headers["X-Error-Code"] = code
    body = {"error": message} if error_type is None else {"error": message, "error_type": error_type}
    return JSONResponse(body, status_code=status, headers=all_headers)


def header_safe(text: str) -> str:
    """The text as a valid header value: printable ASCII only (a message may quote a user's input, control
    characters and line breaks included); the JSON body keeps the message as written."""
    return _NOT_PRINTABLE_ASCII.sub("?", text)


_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")


def api_error_response(error: ApiError) -> JSONResponse:
    return error_response(
        error.status, error.message, code=error.code, error_type=error.error_type, headers=error.headers
    )
