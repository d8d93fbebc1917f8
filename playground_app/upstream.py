"""Reaching an endpoint's inference server: only its mirrored URL, with its namespace's token when its type
requires one, through the pooled client of endpoints_app.inference_servers; waiting while it wakes from zero
replicas; HTTP failures become messages a person understands."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

import httpx2
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from endpoints_app import inference_servers
from endpoints_app.models import Endpoint, EndpointStatus
from endpoints_app.security_types import authorization

T = TypeVar("T")


class UpstreamError(Exception):
    """The endpoint did not give an answer; `str(error)` says why, for a person. `status` is the HTTP one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def is_waking(self) -> bool:
        """503: a scaled-to-zero endpoint starting a replica (or one overloaded for a moment)."""
        return self.status == 503


class EndpointNotUsable(Exception):
    """The endpoint cannot be queried from the playground now; `str(error)` says why."""


@dataclass(frozen=True)
class EndpointTarget:
    """Where and how to reach one endpoint: taken from the mirror, never from what a browser sends."""

    label: str
    url: str
    token: str = field(repr=False)  # the namespace's; also for the Hub (chat templates)
    endpoint_type: str = "authenticated"

    @classmethod
    def of(cls, endpoint: Endpoint) -> "EndpointTarget":
        if endpoint.is_gone:
            raise EndpointNotUsable(f"{endpoint.full_name} no longer exists.")
        parts = urlsplit(endpoint.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointNotUsable(
                f"{endpoint.full_name} has no URL yet: it is {endpoint.get_status_display()}."
            )
        credential = endpoint.namespace.credential
        if credential is None:
            raise EndpointNotUsable(f"No Hugging Face token of the team reaches {endpoint.namespace.name}.")
        return cls(
            label=endpoint.full_name,
            url=endpoint.url.rstrip("/"),
            token=credential.reveal_token(),
            endpoint_type=endpoint.endpoint_type,
        )

    def route(self, path: str = "") -> str:
        return f"{self.url}{path}"

    @property
    def endpoint_token(self) -> str | None:
        """The token requests to the endpoint carry: none when its type lets anyone in."""
        return self.token if authorization(self.endpoint_type, self.token) else None

    def headers(self, scale_up_timeout: float | None = None) -> dict[str, str]:
        headers = authorization(self.endpoint_type, self.token)
        if scale_up_timeout:
            headers["X-Scale-Up-Timeout"] = str(int(scale_up_timeout))
        return headers


# States in which a request may be sent: a scaled-to-zero endpoint wakes up on it (answering 503 meanwhile).
QUERYABLE_STATUSES = frozenset({EndpointStatus.RUNNING, EndpointStatus.SCALED_TO_ZERO})


def require_queryable(endpoint: Endpoint) -> None:
    if endpoint.status not in QUERYABLE_STATUSES:
        raise EndpointNotUsable(f"{endpoint.full_name} is {endpoint.get_status_display().lower()}.")


def request_timeout(scale_up_timeout: float | None = None) -> httpx2.Timeout:
    """Connecting is quick or never; reading waits as long as a model may take to start answering, and at
    least as long as the server is asked to hold the request while a replica starts."""
    read = settings.PLAYGROUND_READ_TIMEOUT_SECONDS
    if scale_up_timeout:
        read = max(read, scale_up_timeout + 10)
    return httpx2.Timeout(read, connect=settings.PLAYGROUND_CONNECT_TIMEOUT_SECONDS)


@dataclass(frozen=True)
class Waking:
    """The endpoint answered 503 (waking from zero replicas) for the `attempt`-th time, `elapsed` s in."""

    attempt: int
    elapsed: float


async def until_awake(
    send: Callable[[float | None], Awaitable[T]], label: str, first: "asyncio.Future[T] | None" = None
) -> AsyncIterator[Waking | T]:
    """Yields what `send(scale_up_timeout)` returns (or `first`, a first attempt already on its way), last.
    While the endpoint answers 503, yields a Waking and sends again after PLAYGROUND_WAKE_RETRY_SECONDS,
    asking the server to hold the request until a replica is up (X-Scale-Up-Timeout), until the wake-up
    timeout.

    The first attempt does not ask to be held: a sleeping endpoint says so at once, and the person is told.
    """
    started = time.monotonic()
    attempt, scale_up_timeout = 0, None
    while True:
        try:
            yield await (first if first is not None else send(scale_up_timeout))
            return
        except UpstreamError as error:
            first = None
            elapsed = time.monotonic() - started
            if not error.is_waking:
                raise
            if elapsed >= settings.PLAYGROUND_WAKE_TIMEOUT_SECONDS:
                raise UpstreamError(f"{label} did not wake up within {elapsed:.0f} s.", 503) from error
            attempt += 1
            yield Waking(attempt, elapsed)
            await asyncio.sleep(settings.PLAYGROUND_WAKE_RETRY_SECONDS)
            scale_up_timeout = settings.PLAYGROUND_SCALE_UP_WAIT_SECONDS


async def post_when_awake(
    target: EndpointTarget, path: str, body: object, headers: dict[str, str] | None = None
) -> bytes:
    """POSTs `body` as JSON to the endpoint's `path` (again while it wakes from zero, see until_awake) and
    returns the body of its 200 answer, read up to PLAYGROUND_ANSWER_MAX_BYTES; anything else raises
    UpstreamError."""

    async def send(scale_up_timeout: float | None) -> bytes:
        client = inference_servers.async_client()
        request = client.build_request(
            "POST",
            target.route(path),
            json=body,
            headers={**target.headers(scale_up_timeout), **(headers or {})},
            timeout=request_timeout(scale_up_timeout),
        )
        try:
            response = await client.send(request, stream=True)
            try:
                content = await read_at_most(response, settings.PLAYGROUND_ANSWER_MAX_BYTES, target.label)
            finally:
                await response.aclose()
        except httpx2.HTTPError as error:
            raise error_from_exception(error, target.label) from error
        if response.status_code != 200:
            raise error_from_response(response.status_code, content, target.label)
        return content

    outcomes = [outcome async for outcome in until_awake(send, target.label)]
    return outcomes[-1]  # the answer; the outcomes before it say that the endpoint was waking up


async def read_at_most(response: httpx2.Response, limit: int, label: str) -> bytes:
    """The response's body, refused (UpstreamError) once it is longer than `limit` bytes: what an endpoint
    answers is not trusted to be small, and nothing past the limit is read."""
    too_long = UpstreamError(f"{label} answered more than {filesizeformat(limit)}: the answer was not read.")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_long
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_long
        chunks.append(chunk)
    return b"".join(chunks)


def error_from_response(status: int, body: bytes, label: str) -> UpstreamError:
    detail = server_message(body)
    suffix = f": {detail}" if detail else "."
    if status == 400 and "state" in detail.lower():
        message = f"{label} refuses requests in its current state (paused or failed){suffix}"
    elif status in (401, 403):
        message = f"{label} refused the team's token (HTTP {status}){suffix}"
    elif status == 404:
        message = f"Nothing answers at the URL of {label} (HTTP 404): it may have been deleted."
    elif status == 422:
        message = f"The model refused the request{suffix}"
    elif status == 429:
        message = f"{label} is overloaded (HTTP 429): try again in a moment."
    elif status == 503:
        message = f"{label} is starting up (HTTP 503){suffix}"
    elif status >= 500:
        message = f"The model failed (HTTP {status}){suffix}"
    else:
        message = f"{label} answered HTTP {status}{suffix}"
    return UpstreamError(message, status)


def server_message(body: bytes) -> str:
    """The `error` of a TGI or API error body, else the start of the text."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        return text[:300]
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, list):
        error = "; ".join(str(item) for item in error)
    return str(error)[:300] if error else text[:300]


def error_from_exception(error: Exception, label: str) -> UpstreamError:
    if isinstance(error, httpx2.TimeoutException | TimeoutError):
        return UpstreamError(
            f"{label} did not answer within {settings.PLAYGROUND_READ_TIMEOUT_SECONDS:g} s (timeout)."
        )
    return UpstreamError(f"{label} could not be reached: {error.__class__.__name__}.")
