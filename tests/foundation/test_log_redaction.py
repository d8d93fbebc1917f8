"""Tokens are redacted from log records, in the web process and in Celery workers alike."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.log_filters import RedactTokensFilter

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUv"


def test_a_record_quoting_a_token_is_redacted() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "calling with %s", (TOKEN,), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == "calling with hf_[redacted]"


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("redis://:s3cr%40t@redis:6379/0", "redis://:[redacted]@redis:6379/0"),
        ("postgres://console:pa55word@db:5432/console", "postgres://console:[redacted]@db:5432/console"),
        ("smtp://mailer:hunter2@mail.example.org:587", "smtp://mailer:[redacted]@mail.example.org:587"),
        ("rediss://default:p@ss:w0rd@cache.example.org", "rediss://default:[redacted]@cache.example.org"),
    ],
)
def test_a_record_quoting_a_url_with_a_password_is_redacted(url: str, redacted: str) -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "cannot connect to %s: refused", (url,), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == f"cannot connect to {redacted}: refused"


def test_a_url_without_a_password_is_left_as_it_is() -> None:
    text = "GET https://user@example.org/a:b@c and http://127.0.0.1:8765/v2 and redis://redis:6379/0"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, text, (), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == text


def test_a_celery_worker_logs_through_the_redacting_handler() -> None:
    """What a worker does to logging at start-up (Celery's logging subsystem), then a record with a token."""
    code = (
        "import django, logging; django.setup(); "
        "from dashboard.celery import app; app.log.setup_logging_subsystem(loglevel='INFO'); "
        f"logging.getLogger('celery.worker').warning('token %s', {TOKEN!r})"
    )
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    output = result.stdout + result.stderr
    assert "token hf_[redacted]" in output, output
    assert TOKEN not in output
