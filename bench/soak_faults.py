"""Faults injected at random during the soak benchmark (bench.soak), through hubsim's control API, one
short Redis outage, and faults of the console's own processes (a worker killed, the web restarted).

Each fault stays within what the console is built to ride out (Retry-After and latencies of a few seconds,
bursts shorter than the gateway's retries), so that what the soak counts as lost or duplicated is a bug and
not a fault too big to survive.
"""

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

API = "/v2/endpoint/*"  # every Endpoints API call (a glob: `*` crosses slashes)
INFERENCE = "/e/*"  # every request to an endpoint's inference server


class FaultInjector:
    def __init__(self, control: Any, namespaces: list[str], rng: random.Random) -> None:
        self._control = control  # hubsim.testing.SimControl
        self._namespaces = namespaces
        self._rng = rng
        self.injected: Counter[str] = Counter()
        self.outages: list[tuple[float, float]] = []  # time.time() when Redis went down and came back

    def _faults(self) -> dict[str, Callable[[], object]]:
        control, rng = self._control, self._rng
        return {
            "429 storm (Retry-After)": lambda: control.inject_fault(
                "*", API, 429, times=rng.randint(3, 12), retry_after=rng.randint(1, 3)
            ),
            "5xx burst": lambda: control.inject_fault(
                "*", API, rng.choice([500, 502, 503, 504]), times=rng.randint(2, 6)
            ),
            "latency": lambda: control.inject_fault(
                "*", API, None, times=rng.randint(5, 20), latency_ms=rng.uniform(300, 2000)
            ),
            "failed deployment": lambda: control.fail_next_deployment(namespace=rng.choice(self._namespaces)),
            # The API does the work and the answer is lost on the way back (a proxy's timeout).
            "lost answer": lambda: control.inject_fault(
                rng.choice(["POST", "PUT", "DELETE"]), API, rng.choice([502, 504]), when="after"
            ),
            "inference 5xx": lambda: control.inject_fault(
                "POST", INFERENCE, rng.choice([500, 503]), times=rng.randint(1, 3)
            ),
        }

    async def run(self, until: float, every_seconds: tuple[float, float]) -> None:
        """Injects a fault chosen at random every few seconds until `until` (time.monotonic())."""
        faults = self._faults()
        while (wait := min(self._rng.uniform(*every_seconds), until - time.monotonic())) > 0:
            await asyncio.sleep(wait)
            kind = self._rng.choice(list(faults))
            await asyncio.to_thread(faults[kind])
            self.injected[kind] += 1

    async def redis_outage(self, redis: Any, at: float, seconds: float) -> None:
        """Redis (bench.stack.RedisServer) stopped at `at` (time.monotonic()) for `seconds`, then started."""
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        await asyncio.to_thread(redis.stop)
        self.injected["Redis outage"] += 1
        down = time.time()
        try:
            await asyncio.sleep(seconds)
        finally:
            await asyncio.to_thread(redis.start)
            self.outages.append((down, time.time()))

    async def at(self, moment: float, kind: str, action: Callable[[], object]) -> None:
        """`action` (a worker killed, say) done once at `moment` (time.monotonic()), counted as `kind`."""
        await asyncio.sleep(max(0.0, moment - time.monotonic()))
        await asyncio.to_thread(action)
        self.injected[kind] += 1
