"""The state file: endpoints and the clock offset, saved as JSON so they survive a restart."""

import json
import os
from pathlib import Path

from hubsim.clock import SimClock
from hubsim.endpoints.backend import EndpointsBackend

STATE_VERSION = 1


class StateFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load_into(self, backend: EndpointsBackend, clock: SimClock) -> None:
        if not self.path.exists():
            return
        data = json.loads(self.path.read_text())
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"{self.path}: unknown state file version {data.get('version')!r}")
        clock.offset_seconds = data["clock_offset_seconds"]
        backend.restore(data["endpoints"])

    def save(self, backend: EndpointsBackend, clock: SimClock) -> None:
        data = {
            "version": STATE_VERSION,
            "clock_offset_seconds": clock.offset_seconds,
            "endpoints": backend.snapshot(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside then rename, so a crash mid-write never leaves a half file behind.
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(data, indent=1))
        os.replace(partial, self.path)
