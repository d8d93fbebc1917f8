"""The console's web server (uvicorn) as a separate process on the test session's database, for tests that
kill it or stop it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from tests.fixtures.live_server import free_port
from tests.reliability.workers import ROOT, worker_environment


class WebProcess:
    def __init__(self, broker_url: str, log: Path, graceful_seconds: int, **settings: str) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._command = [
            sys.executable, "-m", "uvicorn", "dashboard.asgi:application", "--port", str(port),
            "--timeout-graceful-shutdown", str(graceful_seconds), "--log-level", "warning",
        ]  # fmt: skip
        self._environment = {**worker_environment(broker_url), **settings}
        self._log = log
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                self._command, cwd=ROOT, env=self._environment, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx2.get(f"{self.url}/healthz", timeout=2)
                return
            except httpx2.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"the web process did not start: {self._log.read_text()[-2000:]}")

    def signal(self, number: int) -> None:
        if self._process is not None:
            os.killpg(self._process.pid, number)

    def wait(self, timeout: float) -> int:
        assert self._process is not None
        return self._process.wait(timeout=timeout)

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self.signal(signal.SIGKILL)
            self._process.wait()
