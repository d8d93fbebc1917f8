"""Logging filters."""

import logging
import re

# Hugging Face user access tokens: "hf_" followed by letters and digits.
TOKEN_PATTERN = re.compile(r"hf_[A-Za-z0-9]{8,}")
REDACTED = "hf_[redacted]"


def redact_tokens(text: str) -> str:
    return TOKEN_PATTERN.sub(REDACTED, text)


class RedactTokensFilter(logging.Filter):
    """Replaces anything shaped like a Hugging Face token in a record before any handler writes it.

    Tokens are never logged on purpose; this is the net for the accidental case (an exception message or a
    URL from a library that quotes a header).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_tokens(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact_tokens(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
