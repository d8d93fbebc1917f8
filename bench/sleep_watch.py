"""Counting threads asleep in time.sleep at the same moment: what waiting costs in blocked threads."""

import threading
import time


class SleepWatch:
    """While active, `most` is the largest number of threads that were inside time.sleep at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asleep = 0
        self.most = 0
        self._real_sleep = time.sleep

    def __enter__(self) -> "SleepWatch":
        time.sleep = self._sleep
        return self

    def __exit__(self, *exc_info: object) -> None:
        time.sleep = self._real_sleep

    def _sleep(self, seconds: float) -> None:
        with self._lock:
            self._asleep += 1
            self.most = max(self.most, self._asleep)
        try:
            self._real_sleep(seconds)
        finally:
            with self._lock:
                self._asleep -= 1
