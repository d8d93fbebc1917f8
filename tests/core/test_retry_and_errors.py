"""The gateway's retry policy and its translation of client errors."""

import httpx2
import pytest
from huggingface_hub.errors import HfHubHTTPError

from endpoints_app.hf.errors import (
    AlreadyExists,
    AuthenticationFailed,
    InvalidRequest,
    NotAllowed,
    RateLimited,
    ServiceError,
    Unreachable,
)
from endpoints_app.hf.gateway import translate_error
from endpoints_app.hf.retry import RetryPolicy


def http_error(status: int, message: str = "", headers: dict | None = None) -> HfHubHTTPError:
    request = httpx2.Request("POST", "http://127.0.0.1:1/v2/endpoint/demo")
    response = httpx2.Response(status, headers=headers or {}, request=request)
    return HfHubHTTPError(f"{status} error", response=response, server_message=message)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, AuthenticationFailed),
        (403, NotAllowed),
        (409, AlreadyExists),
        (400, InvalidRequest),
        (422, InvalidRequest),
        (500, ServiceError),
        (503, ServiceError),
    ],
)
def test_http_statuses_become_typed_errors(status: int, kind: type) -> None:
    error = translate_error(http_error(status, "Quota exceeded for nvidia-a100"), "create demo/x")
    assert isinstance(error, kind)
    assert error.status_code == status


def test_the_server_message_reaches_the_person() -> None:
    error = translate_error(http_error(400, "Quota exceeded for nvidia-a100"), "create demo/x")
    assert str(error) == "Hugging Face refused to create demo/x (HTTP 400): Quota exceeded for nvidia-a100"


def test_rate_limit_carries_retry_after() -> None:
    error = translate_error(http_error(429, headers={"Retry-After": "3"}), "list demo")
    assert isinstance(error, RateLimited)
    assert error.retry_after == 3.0


def test_network_failures_are_unreachable() -> None:
    request = httpx2.Request("GET", "http://127.0.0.1:1/")
    assert isinstance(translate_error(httpx2.ConnectError("refused", request=request), "x"), Unreachable)
    assert isinstance(translate_error(httpx2.ReadTimeout("slow", request=request), "x"), Unreachable)


def test_unrelated_exceptions_are_not_translated() -> None:
    assert translate_error(KeyError("name"), "x") is None


def test_backoff_grows_is_jittered_and_bounded() -> None:
    policy = RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=4.0)
    error = ServiceError("boom", status_code=500)
    delays = [policy.delay_before_retry(attempt, error) for attempt in range(1, 6)]
    assert 0.5 <= delays[0] <= 1.0
    assert 1.0 <= delays[1] <= 2.0
    assert all(2.0 <= delay <= 4.0 for delay in delays[2:])
    assert policy.delay_before_retry(6, error) is None


def test_refused_requests_are_not_retried() -> None:
    assert RetryPolicy().delay_before_retry(1, InvalidRequest("bad name")) is None


def test_retry_after_is_honoured_unless_too_long() -> None:
    policy = RetryPolicy(max_inline_wait=10)
    assert policy.delay_before_retry(1, RateLimited("slow down", retry_after=2)) == 2
    assert policy.delay_before_retry(1, RateLimited("slow down", retry_after=60)) is None
