"""Browsers watching the endpoint list while endpoints change state: Hugging Face API calls and the web
server's CPU per poll with 50 viewers, against the same with 1 viewer, in the same run.

Each viewer polls the list's live part every 2 s as the page does, revalidating with If-None-Match as a
browser does (the answer is 304 when nothing on screen changed). What the list shows comes from the sync's
calls only: one list call per namespace per interval, whatever the number of viewers. The worker's other
calls (the Analytics collector reads each running endpoint's metrics once per METRICS_INTERVAL_SECONDS, the
hardware and catalog refreshes) depend on the endpoints, not on the viewers, and are reported apart.

    python -m bench.watchers [--seconds 60] [--viewers 50]
"""

import argparse
import asyncio
import time
from typing import Any

from bench import report, stack

BENCHMARK = "viewers watching the list"
SYNC_INTERVAL_SECONDS = 5
POLL_SECONDS = 2.0
CHANGING = 10
DEPLOY_SECONDS = 20.0
SYNC_ROUTE = "GET /v2/endpoint/{namespace}"  # the sync's list call, as hubsim's request log names it


async def _viewer(url: str, cookies: dict[str, str], until: float, counts: dict[str, int]) -> None:
    import httpx2

    etag = None
    async with httpx2.AsyncClient(cookies=cookies, timeout=30) as client:
        while time.monotonic() < until:
            headers = {"HX-Request": "true", **({"If-None-Match": etag} if etag else {})}
            response = await client.get(f"{url}/endpoints/live/", headers=headers)
            counts[str(response.status_code)] = counts.get(str(response.status_code), 0) + 1
            etag = response.headers.get("ETag", etag)
            await asyncio.sleep(POLL_SECONDS)


def _watch(scratch: stack.Stack, viewers: int, seconds: float) -> dict[str, Any]:
    """`viewers` browsers for `seconds` while CHANGING endpoints deploy; API calls and server CPU."""
    from django.contrib.auth.models import User

    hub = scratch.hub
    for index in range(CHANGING):
        hub.create_endpoint(f"watch-{viewers}-{index:02d}", accelerator="cpu", instance_type="intel-spr",
                            instance_size="x1")  # fmt: skip
    user = User.objects.get(username="bench")
    with stack.web_process() as web:
        cookies, _ = stack.session_cookies(user, web.url)
        hub.control.reset_requests()
        cpu_before = web.cpu_seconds()
        counts: dict[str, int] = {}
        until = time.monotonic() + seconds

        async def all_viewers() -> None:
            await asyncio.gather(*(_viewer(web.url, cookies, until, counts) for _ in range(viewers)))

        asyncio.run(all_viewers())
        cpu = web.cpu_seconds() - cpu_before
    api = hub.control.request_counts()["by_route"]
    list_calls = api.get(SYNC_ROUTE, 0)
    other_calls = sum(count for route, count in api.items() if " /v2/" in route) - list_calls
    polls = sum(counts.values())
    return {
        "list_calls": list_calls,
        "other_calls": other_calls,
        "polls": polls,
        "cpu_ms_per_poll": cpu * 1000 / polls,
        "codes": counts,
    }


def run(seconds: float = 60.0, viewers: int = 50) -> list[report.Row]:
    settings = {"SYNC_INTERVAL_SECONDS": str(SYNC_INTERVAL_SECONDS)}
    with stack.scratch_stack(deploy_seconds=DEPLOY_SECONDS, settings=settings) as scratch:
        from endpoints_app.models import Namespace

        stack.team_admin()
        scratch.hub.control.set_quota("demo", "intel-spr", 1000)
        namespaces = Namespace.objects.filter(credential__isnull=False).count()
        with stack.worker_process(concurrency=2, beat=True):
            alone = _watch(scratch, 1, seconds)
            crowd = _watch(scratch, viewers, seconds)
    expected = round(seconds / SYNC_INTERVAL_SECONDS) * namespaces
    met = abs(crowd["list_calls"] - expected) <= namespaces  # one interval's slack at either end
    not_modified = crowd["codes"].get("304", 0) / crowd["polls"] * 100
    return [
        report.Row(
            BENCHMARK, f"HF API list calls in {seconds:g} s, {viewers} viewers", crowd["list_calls"],
            alone["list_calls"], f"= sync intervals x namespaces ({expected})", met,
        ),
        report.Row(
            BENCHMARK, f"other HF API calls in {seconds:g} s (metrics, hardware: per endpoint, not viewer)",
            crowd["other_calls"], alone["other_calls"], "reported",
        ),
        report.Row(BENCHMARK, "server CPU per poll (ms)", crowd["cpu_ms_per_poll"], alone["cpu_ms_per_poll"],
                   "reported"),
        report.Row(BENCHMARK, "polls answered 304 Not Modified (%)", not_modified, None, "reported"),
        report.Row(BENCHMARK, "polls answered with an error", sum(
            count for code, count in crowd["codes"].items() if code not in {"200", "304"}
        ), None, "0"),
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--viewers", type=int, default=50)
    arguments = parser.parse_known_args()[0]
    report.main(lambda: run(arguments.seconds, arguments.viewers))
