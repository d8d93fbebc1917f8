"""hubsim's own clock: real time plus an offset that the control API can advance.

Every timed rule (deployment steps, scale-to-zero idle timeouts, createdAt/updatedAt) reads this clock, so a
test advances time instead of sleeping.
"""

import time
from datetime import UTC, datetime


class SimClock:
    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> float:
        """Seconds since the epoch, on hubsim's clock."""
        return time.time() + self.offset_seconds

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset_seconds += seconds

    def reset(self) -> None:
        self.offset_seconds = 0.0


def isoformat(timestamp: float) -> str:
    """The API's timestamp format: ``2026-10-26T12:41:53.263Z``."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
