"""Chat streaming through the console versus straight to hubsim, in the same run.

Measures time to first token (TTFT) and tokens per second of the playground's streaming proxy (uvicorn with
WEB_CONCURRENCY worker processes as deployed, async view, pooled client) against the same requests sent
directly to the endpoint on hubsim, one at a time, then p95 TTFT with 50 concurrent streams. Each answer
through the console is recorded (question, answer saved as it arrives), as for a person.
`python -m bench.streaming` prints a table; `run()` returns rows.
"""

import asyncio
import json
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

from bench import report, stack

SEQUENTIAL_REQUESTS = 30
CONCURRENT_STREAMS = 50
MAX_NEW_TOKENS = 60
TOKEN_LATENCY_MS = 2  # hubsim's pause between tokens: small, so the proxy's own cost shows
TTFT_RATIO, CONCURRENT_TTFT_RATIO, RATE_RATIO = 1.5, 2.0, 0.95  # the targets, against direct
QUESTION = "Please write a short poem about open source for me."
BENCHMARK = "chat streaming"
ENDPOINT_NAME = "gemma-bench"


def prepare_endpoint(hub: Any) -> tuple[Any, Any]:
    """An admin with the demo credential, and a running Gemma endpoint in the mirror."""
    from endpoints_app.models import Endpoint, Namespace
    from endpoints_app.services import sync

    admin = stack.team_admin()
    hub.create_endpoint(ENDPOINT_NAME)
    hub.control.set_state("demo", ENDPOINT_NAME, "running")
    namespace = Namespace.objects.get(name="demo")
    sync.sync_namespace(namespace)
    return admin, Endpoint.objects.get(namespace=namespace, name=ENDPOINT_NAME)


class Timing:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.first: float | None = None
        self.last: float | None = None
        self.tokens = 0

    def token(self) -> None:
        now = time.perf_counter()
        self.first = self.first or now
        self.last = now
        self.tokens += 1

    @property
    def ttft_ms(self) -> float:
        return ((self.first or self.started) - self.started) * 1000

    @property
    def tokens_per_second(self) -> float:
        if not self.first or not self.last or self.tokens < 2:
            return 0.0
        return (self.tokens - 1) / (self.last - self.first)


async def _events(lines: AsyncIterator[str]) -> AsyncIterator[tuple[str, str]]:
    event = "message"
    async for line in lines:
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            yield event, line[5:].strip()
            event = "message"


async def ask_direct(client: Any, endpoint: Any) -> Timing:
    """The same question straight to the endpoint on hubsim (no console), timed the same way."""
    body = {
        "model": "tgi",
        "messages": [{"role": "user", "content": QUESTION}],
        "temperature": 0.2,
        "max_tokens": MAX_NEW_TOKENS,
        "seed": 42,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    timing = Timing()
    headers = {"Authorization": f"Bearer {stack.DEMO_TOKEN}"}
    async with client.stream(
        "POST", f"{endpoint.url}/v1/chat/completions", json=body, headers=headers
    ) as response:
        async for _, data in _events(response.aiter_lines()):
            if data != "[DONE]" and _has_text(json.loads(data)):
                timing.token()
    return timing


def _has_text(chunk: dict[str, Any]) -> bool:
    """A chunk carrying text: what the playground forwards to the browser as a `token` event."""
    return any((choice.get("delta") or {}).get("content") for choice in chunk.get("choices") or [])


async def through_app(client: Any, base_url: str, endpoint: Any, csrf: str) -> Timing:
    form = {
        "endpoint": str(endpoint.pk),
        "mode": "messages",
        "temperature": "0.2",
        "max_new_tokens": str(MAX_NEW_TOKENS),
        "seed": "42",
        "text": QUESTION,
    }
    return await ask_app(client, base_url, csrf, form)


async def ask_app(client: Any, base_url: str, csrf: str, form: dict[str, str]) -> Timing:
    """One answer through the playground's answer route, timed as the browser sees its tokens."""
    timing = Timing()
    async with client.stream(
        "POST", f"{base_url}/playground/answer", data=form, headers={"X-CSRFToken": csrf}
    ) as response:
        async for event, _ in _events(response.aiter_lines()):
            if event == "token":
                timing.token()
    return timing


async def sequential(measure: Callable[[], Any], count: int) -> list[Timing]:
    timings = []
    for _ in range(count):
        timings.append(await measure())
    return timings


def percentile(values: list[float], rank: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(rank / 100 * (len(ordered) - 1)))]


async def _measure(base_url: str, endpoint: Any, cookies: dict[str, str], csrf: str) -> list[report.Row]:
    import httpx2

    limits = httpx2.Limits(
        max_connections=CONCURRENT_STREAMS * 2, max_keepalive_connections=CONCURRENT_STREAMS
    )
    async with (
        httpx2.AsyncClient(timeout=60, limits=limits) as direct_client,
        httpx2.AsyncClient(timeout=60, limits=limits, cookies=cookies) as app_client,
    ):

        def direct() -> Any:
            return ask_direct(direct_client, endpoint)

        def app() -> Any:
            return through_app(app_client, base_url, endpoint, csrf)

        await sequential(direct, 3)  # warm-up: tokenizer, connections, engine
        await sequential(app, 3)
        direct_runs = await sequential(direct, SEQUENTIAL_REQUESTS)
        app_runs = await sequential(app, SEQUENTIAL_REQUESTS)
        direct_many = await asyncio.gather(*(direct() for _ in range(CONCURRENT_STREAMS)))
        app_many = await asyncio.gather(*(app() for _ in range(CONCURRENT_STREAMS)))

    direct_ttft = statistics.median(t.ttft_ms for t in direct_runs)
    app_ttft = statistics.median(t.ttft_ms for t in app_runs)
    direct_rate = statistics.median(t.tokens_per_second for t in direct_runs)
    app_rate = statistics.median(t.tokens_per_second for t in app_runs)
    direct_p95 = percentile([t.ttft_ms for t in direct_many], 95)
    app_p95 = percentile([t.ttft_ms for t in app_many], 95)
    return [
        report.Row(BENCHMARK, "TTFT p50, one stream (ms)", app_ttft, direct_ttft,
                   f"<= {TTFT_RATIO:g} x direct", app_ttft <= TTFT_RATIO * direct_ttft),
        report.Row(BENCHMARK, "tokens/s p50, one stream", app_rate, direct_rate,
                   f">= {RATE_RATIO:g} x direct", app_rate >= RATE_RATIO * direct_rate),
        report.Row(BENCHMARK, f"TTFT p95, {CONCURRENT_STREAMS} concurrent streams (ms)", app_p95, direct_p95,
                   f"<= {CONCURRENT_TTFT_RATIO:g} x direct", app_p95 <= CONCURRENT_TTFT_RATIO * direct_p95),
    ]  # fmt: skip


def run() -> list[report.Row]:
    with stack.scratch_stack(hubsim_args=["--token-latency-ms", str(TOKEN_LATENCY_MS)]) as scratch:
        from django.conf import settings

        user, endpoint = prepare_endpoint(scratch.hub)
        workers = settings.WEB_CONCURRENCY
        print(f"through {workers} web processes (WEB_CONCURRENCY)", file=sys.stderr, flush=True)
        with stack.web_process(workers) as server:
            cookies, csrf = stack.session_cookies(user, server.url, "/playground/")
            rows = asyncio.run(_measure(server.url, endpoint, cookies, csrf))
        return [replace(row, measure=f"{row.measure}, {workers} web processes") for row in rows]


if __name__ == "__main__":
    report.main(run)
