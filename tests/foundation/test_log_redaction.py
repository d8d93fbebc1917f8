"""Tokens are redacted from log records, in the web process and in Celery workers alike."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from dashboard.log_filters import RedactTokensFilter

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUv"


def test_a_record_quoting_a_token_is_redacted() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "calling with %s", (TOKEN,), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == "calling with hf_[redacted]"


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
