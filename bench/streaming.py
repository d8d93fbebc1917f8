"""Chat streaming through the console versus straight to hubsim, in the same run.

Measures time to first token (TTFT) and tokens per second of the playground's streaming proxy (ASGI server,
async view, pooled client) against the same requests sent directly to the endpoint on hubsim, one at a time,
then p95 TTFT with 50 concurrent streams. `python -m bench.streaming` prints a table; `run()` returns rows.
"""

import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SEQUENTIAL_REQUESTS = 30
CONCURRENT_STREAMS = 50
MAX_NEW_TOKENS = 60
TOKEN_LATENCY_MS = 2  # hubsim's pause between tokens: small, so the proxy's own cost shows
QUESTION = "Please write a short poem about open source for me."
DEMO_TOKEN = "hf_demo_token"  # hubsim's built-in demo user, not a secret
ENDPOINT_NAME = "gemma-bench"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _environment() -> Iterator[Any]:
    """hubsim in a subprocess, Django set up on a scratch database pointing at it."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-streaming-"))
    from hubsim.testing import HubsimServer

    hub = HubsimServer(deploy_seconds=0.3, extra_args=["--token-latency-ms", str(TOKEN_LATENCY_MS)])
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        HF_ENDPOINT=hub.url,
        HF_ENDPOINTS_API_URL=hub.api_url,
        HF_HOME=str(scratch / "hf-home"),
        VAR_DIR=str(scratch / "var"),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    hub.start()
    try:
        import django

        django.setup()
        yield hub
    finally:
        hub.stop()


def _prepare_endpoint(hub: Any) -> tuple[Any, Any]:
    """A user with a session, the demo credential, and a running Gemma endpoint in the mirror."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from endpoints_app.models import Endpoint, Namespace
    from endpoints_app.roles import Role
    from endpoints_app.services import credentials, sync
    from endpoints_app.services.actors import Actor

    call_command("migrate", interactive=False, verbosity=0)
    admin = User.objects.create_user("bench", password="bench-password-1")
    admin.groups.add(Group.objects.get(name=Role.ADMIN))
    credentials.add_credential(Actor(admin), "Demo", DEMO_TOKEN)
    hub.create_endpoint(ENDPOINT_NAME)
    hub.control.set_state("demo", ENDPOINT_NAME, "running")
    namespace = Namespace.objects.get(name="demo")
    sync.sync_namespace(namespace)
    return admin, Endpoint.objects.get(namespace=namespace, name=ENDPOINT_NAME)


class _AsgiServer:
    def __init__(self) -> None:
        import uvicorn

        from dashboard.asgi import application

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            application, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "_AsgiServer":
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _session_cookies(user: Any, base_url: str) -> tuple[dict[str, str], str]:
    import httpx2
    from django.test import Client

    login = Client()
    login.force_login(user)
    cookies = {"sessionid": login.cookies["sessionid"].value}
    page = httpx2.get(f"{base_url}/playground/", cookies=cookies)
    cookies["csrftoken"] = page.cookies["csrftoken"]
    return cookies, cookies["csrftoken"]


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


async def _direct(client: Any, endpoint: Any) -> Timing:
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
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
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


async def _through_app(client: Any, base_url: str, endpoint: Any, csrf: str) -> Timing:
    form = {
        "endpoint": str(endpoint.pk),
        "mode": "messages",
        "temperature": "0.2",
        "max_new_tokens": str(MAX_NEW_TOKENS),
        "seed": "42",
        "text": QUESTION,
    }
    timing = Timing()
    async with client.stream(
        "POST", f"{base_url}/playground/answer", data=form, headers={"X-CSRFToken": csrf}
    ) as response:
        async for event, _ in _events(response.aiter_lines()):
            if event == "token":
                timing.token()
    return timing


async def _sequential(measure: Callable[[], Any], count: int) -> list[Timing]:
    timings = []
    for _ in range(count):
        timings.append(await measure())
    return timings


def _p(values: list[float], percentile: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))]


async def _measure(base_url: str, endpoint: Any, cookies: dict[str, str], csrf: str) -> list[dict[str, Any]]:
    import httpx2

    limits = httpx2.Limits(
        max_connections=CONCURRENT_STREAMS * 2, max_keepalive_connections=CONCURRENT_STREAMS
    )
    async with (
        httpx2.AsyncClient(timeout=60, limits=limits) as direct_client,
        httpx2.AsyncClient(timeout=60, limits=limits, cookies=cookies) as app_client,
    ):

        def direct() -> Any:
            return _direct(direct_client, endpoint)

        def app() -> Any:
            return _through_app(app_client, base_url, endpoint, csrf)

        await _sequential(direct, 3)  # warm-up: tokenizer, connections, engine
        await _sequential(app, 3)
        direct_runs = await _sequential(direct, SEQUENTIAL_REQUESTS)
        app_runs = await _sequential(app, SEQUENTIAL_REQUESTS)
        direct_many = await asyncio.gather(*(direct() for _ in range(CONCURRENT_STREAMS)))
        app_many = await asyncio.gather(*(app() for _ in range(CONCURRENT_STREAMS)))

    direct_ttft = statistics.median(t.ttft_ms for t in direct_runs)
    app_ttft = statistics.median(t.ttft_ms for t in app_runs)
    direct_rate = statistics.median(t.tokens_per_second for t in direct_runs)
    app_rate = statistics.median(t.tokens_per_second for t in app_runs)
    direct_p95 = _p([t.ttft_ms for t in direct_many], 95)
    app_p95 = _p([t.ttft_ms for t in app_many], 95)
    return [
        _row("TTFT p50, one stream (ms)", app_ttft, direct_ttft, "overhead <= 10 ms"),
        _row("TTFT overhead p50 (ms)", app_ttft - direct_ttft, 0.0, "<= 10 ms"),
        _row("tokens/s p50, one stream", app_rate, direct_rate, ">= 0.95 x direct"),
        _row(f"TTFT p95, {CONCURRENT_STREAMS} concurrent streams (ms)", app_p95, direct_p95, "reported"),
    ]


def _row(measure: str, value: float, baseline: float, target: str) -> dict[str, Any]:
    ratio = value / baseline if baseline else None
    return {
        "benchmark": "chat streaming",
        "measure": measure,
        "value": round(value, 2),
        "baseline": round(baseline, 2),
        "ratio": round(ratio, 3) if ratio is not None else None,
        "target": target,
    }


def run() -> list[dict[str, Any]]:
    with _environment() as hub:
        user, endpoint = _prepare_endpoint(hub)
        with _AsgiServer() as server:
            cookies, csrf = _session_cookies(user, server.url)
            return asyncio.run(_measure(server.url, endpoint, cookies, csrf))


def print_table(rows: list[dict[str, Any]]) -> None:
    columns = ["benchmark", "measure", "value", "baseline", "ratio", "target"]
    widths = {c: max(len(c), *(len(str(row[c])) for row in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in columns))


if __name__ == "__main__":
    print_table(run())
    sys.exit(0)
