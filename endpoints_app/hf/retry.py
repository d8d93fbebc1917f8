"""Bounded retries with exponential backoff and jitter, honouring Retry-After."""

import random
from dataclasses import dataclass

from django.conf import settings

from endpoints_app.hf.errors import GatewayError, RateLimited


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is not slept through in-line: the caller (a task) reschedules instead.
    max_inline_wait: float = 10.0

    @classmethod
    def from_settings(cls) -> "RetryPolicy":
        return cls(
            max_attempts=settings.HF_API_MAX_ATTEMPTS,
            base_delay=settings.HF_API_RETRY_BASE_SECONDS,
            max_delay=settings.HF_API_RETRY_MAX_SECONDS,
            max_inline_wait=settings.HF_API_MAX_INLINE_WAIT_SECONDS,
        )

    def delay_before_retry(self, attempt: int, error: GatewayError) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None when the error must be raised now."""
        if not error.retryable or attempt >= self.max_attempts:
            return None
        if isinstance(error, RateLimited):
            return error.retry_after if error.retry_after <= self.max_inline_wait else None
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(backoff / 2, backoff)  # "equal jitter": never zero, never above the cap


# Reads that are asked again anyway (the next collection round, a person's next click) are not retried.
ONE_ATTEMPT = RetryPolicy(max_attempts=1)
