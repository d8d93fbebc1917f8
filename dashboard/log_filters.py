"""Logging filters."""

import logging
import re

# Hugging Face user access tokens: "hf_" followed by letters and digits.
TOKEN_PATTERN = re.compile(r"hf_[A-Za-z0-9]{8,}")
REDACTED = "hf_[redacted]"
# The password of a URL's user information (redis://:secret@host, postgres://user:secret@host/db,
# smtp://user:secret@host): the scheme, the user and the host are kept; a password holding "@" runs to the
# last "@" before the path.
URL_PASSWORD_PATTERN = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/?#@]*:)[^\s/?#]+(?=@)")


def redact_tokens(text: str) -> str:
    """`text` without Hugging Face tokens nor the passwords of URLs."""
    return URL_PASSWORD_PATTERN.sub(r"\g<head>[redacted]", TOKEN_PATTERN.sub(REDACTED, text))


class RedactTokensFilter(logging.Filter):
    """Replaces anything shaped like a Hugging Face token, or a URL's password, in a record before any handler
    writes it.

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
