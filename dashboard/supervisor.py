"""Starting a set of child processes, prefixing their output, and stopping all of them together."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    command: Sequence[str]
    process: subprocess.Popen = field(repr=False)


class Supervisor:
    """Owns child processes: each runs in its own session so that stopping it stops its own children too."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.children: list[Child] = []

    def start(self, name: str, command: Sequence[str]) -> Child:
        process = subprocess.Popen(  # noqa: S603 - the commands are the console's own, built in code
            command,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        child = Child(name, command, process)
        self.children.append(child)
        threading.Thread(target=self._relay, args=(child,), daemon=True).start()
        return child

    def _relay(self, child: Child) -> None:
        width = 7
        assert child.process.stdout is not None
        for line in child.process.stdout:
            sys.stdout.write(f"{child.name:<{width}}| {line}")
            sys.stdout.flush()

    def first_exited(self) -> Child | None:
        return next((child for child in self.children if child.process.poll() is not None), None)

    def stop_all(self, timeout: float = 10.0) -> None:
        """SIGTERM every child's process group (newest first), then SIGKILL what is left after `timeout`."""
        for child in reversed(self.children):
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in reversed(self.children):
            remaining = max(0.0, deadline - time.monotonic())
            try:
                child.process.wait(remaining)
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()
            # The group may still hold grandchildren that ignored SIGTERM (a worker's pool processes).
            _signal_group(child.process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
