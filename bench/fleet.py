"""200 endpoints created at once and watched until running by one worker process of concurrency 2, against
200 threads each calling the client's `InferenceEndpoint.wait()`, in the same run (hubsim deploys in D s);
three runs, each reported (the target must hold in each).

Measures the time until all are running (as a multiple of D), threads asleep while waiting, and Hugging
Face API calls per endpoint per status check.

    python -m bench.fleet [--endpoints 200] [--deploy-seconds 30] [--runs 3]
"""

import argparse
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from bench import report, stack
from bench.sleep_watch import SleepWatch

BENCHMARK = "200 endpoints created at once"
GET_ROUTE = "GET /v2/endpoint/{namespace}/{name}"
LIST_ROUTE = "GET /v2/endpoint/{namespace}"
POST_ROUTE = "POST /v2/endpoint/{namespace}"


def _console(count: int, hub) -> dict[str, float]:
    from endpoints_app.hf.remote import CustomImage, EndpointSpec
    from endpoints_app.models import Namespace, Operation
    from endpoints_app.services import operations
    from endpoints_app.services.actors import Actor

    admin = stack.team_admin()
    namespace = Namespace.objects.get(name="demo")
    image = CustomImage("ghcr.io/huggingface/text-generation-inference:latest", "/health")
    with stack.worker_process(concurrency=2) as worker:
        hub.control.reset_requests()
        started = time.monotonic()
        for index in range(count):
            spec = EndpointSpec(
                name=f"console-{index:03d}", repository="google/gemma-1.1-2b-it", task="text-generation",
                vendor="aws", region="us-east-1", accelerator="gpu", instance_type="nvidia-a10g",
                instance_size="x1", custom_image=image, env={"MODEL_ID": "/repository"},
            )  # fmt: skip
            operations.create_endpoint(Actor(admin), namespace, spec)
        while Operation.objects.filter(state__in=["queued", "calling", "waiting"]).exists():
            time.sleep(0.1)  # the benchmark's own thread, waiting for the outcome
        elapsed = time.monotonic() - started
    outcomes = Counter(Operation.objects.values_list("state", flat=True))
    checks = sum(Operation.objects.values_list("attempts", flat=True))
    counts = hub.control.request_counts()["by_route"]
    return {
        "seconds": elapsed,
        "succeeded": outcomes["succeeded"],
        "asleep": worker.most_asleep(),
        "calls_per_check": (counts.get(GET_ROUTE, 0) + counts.get(LIST_ROUTE, 0)) / max(checks, 1),
        "creates": counts.get(POST_ROUTE, 0),
    }


def _client_threads(count: int, hub) -> dict[str, float]:
    """The tutorial's way, for each endpoint: create, then `wait()` (a thread that sleeps between checks)."""

    def create_and_wait(index: int) -> str:
        endpoint = hub.create_endpoint(f"client-{index:03d}")
        endpoint._token = stack.DEMO_TOKEN  # the client forgets the HfApi's token for fetch()
        return endpoint.wait(timeout=600).status

    hub.control.reset_requests()
    with SleepWatch() as sleeps, FetchCount() as checks, ThreadPoolExecutor(max_workers=count) as pool:
        started = time.monotonic()
        statuses = list(pool.map(create_and_wait, range(count)))
        elapsed = time.monotonic() - started
    counts = hub.control.request_counts()["by_route"]
    return {
        "seconds": elapsed,
        "succeeded": statuses.count("running"),
        "asleep": sleeps.most,
        "calls_per_check": (counts.get(GET_ROUTE, 0) + counts.get(LIST_ROUTE, 0)) / max(checks.count, 1),
        "creates": counts.get(POST_ROUTE, 0),
    }


class FetchCount:
    """Counts the status checks `InferenceEndpoint.wait()` makes (its calls of `fetch()`), as the console's
    checks are counted (`Operation.attempts`), so that API calls per check are measured on both sides."""

    def __init__(self) -> None:
        from huggingface_hub import InferenceEndpoint  # imported once stack.scratch_stack set HF_ENDPOINT

        self.count = 0
        self._lock = threading.Lock()
        self._class = InferenceEndpoint
        self._real_fetch = InferenceEndpoint.fetch

    def __enter__(self) -> "FetchCount":
        real_fetch, watch = self._real_fetch, self

        def counted_fetch(endpoint: Any) -> Any:
            with watch._lock:
                watch.count += 1
            return real_fetch(endpoint)

        self._class.fetch = counted_fetch
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._class.fetch = self._real_fetch


def run(count: int = 200, deploy_seconds: float = 30.0, runs: int = 3) -> list[report.Row]:
    """`runs` runs, each in a process of its own (Django is set up once per process, on its scratch stack)."""
    if runs == 1:
        return _run(count, deploy_seconds)
    rows = []
    for number in range(1, runs + 1):
        command = [sys.executable, "-m", "bench.fleet", "--endpoints", str(count), "--deploy-seconds",
                   str(deploy_seconds), "--runs", "1", "--json"]  # fmt: skip
        finished = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        measured = report.from_json(finished.stdout.strip().splitlines()[-1])
        rows += [replace(row, benchmark=f"{row.benchmark}, run {number}") for row in measured]
    return rows


def _run(count: int, deploy_seconds: float) -> list[report.Row]:
    with stack.scratch_stack(deploy_seconds=deploy_seconds) as scratch:
        hub = scratch.hub
        hub.control.set_quota("demo", "nvidia-a10g", 10 * count)
        baseline = _client_threads(count, hub)
        hub.control.reset()
        hub.control.set_quota("demo", "nvidia-a10g", 10 * count)
        console = _console(count, hub)
    ratio = console["seconds"] / deploy_seconds
    checks, base_checks = console["calls_per_check"], baseline["calls_per_check"]
    creates, base_creates = console["creates"] / count, baseline["creates"] / count
    return [
        report.Row(
            BENCHMARK, f"time until all running, x deploy time ({deploy_seconds:g} s)", ratio,
            baseline["seconds"] / deploy_seconds, "<= 1.2", ratio <= 1.2,
        ),
        report.Row(BENCHMARK, "endpoints running", console["succeeded"], baseline["succeeded"], f"= {count}",
                   console["succeeded"] == count),
        report.Row(BENCHMARK, "threads asleep at once", console["asleep"], baseline["asleep"], "0",
                   console["asleep"] == 0),
        report.Row(BENCHMARK, "API calls per endpoint per check", checks, base_checks, "<= 1", checks <= 1),
        report.Row(BENCHMARK, "create calls per endpoint", creates, base_creates, "= 1", creates == 1),
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--deploy-seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_known_args()[0]
    report.main(lambda: run(arguments.endpoints, arguments.deploy_seconds, arguments.runs))
