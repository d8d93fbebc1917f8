"""Chat answers on PostgreSQL: time to first token through web processes that take their connections from a
pool (DB_POOL_MAX_SIZE, as deployed) against the same processes connecting anew for every request (Django's
default, DB_POOL_MAX_SIZE=0), in turns in the same run: one answer at a time, then 50 at once.
`python -m bench.database_pool` prints a table; `run()` returns rows.
"""

import asyncio
import statistics
from collections.abc import Callable
from typing import Any

from bench import report, stack, streaming

TURNS = 3  # the two servers alternate this many times
SEQUENTIAL_REQUESTS = 20  # per turn
WORKERS = 2
POOL_SIZE = "20"  # the default, whatever this shell's DB_POOL_MAX_SIZE
BENCHMARK = "answers on PostgreSQL"


async def _turn(ask: Callable[[], Any]) -> tuple[list[float], float]:
    """TTFTs of answers one at a time, and the p95 TTFT of CONCURRENT_STREAMS answers at once."""
    alone = await streaming.sequential(ask, SEQUENTIAL_REQUESTS)
    together = await asyncio.gather(*(ask() for _ in range(streaming.CONCURRENT_STREAMS)))
    return [t.ttft_ms for t in alone], streaming.percentile([t.ttft_ms for t in together], 95)


Results = tuple[list[float], list[float]]  # TTFTs one at a time, p95 TTFTs of each turn's concurrent answers


async def _measure(servers: dict[str, tuple[str, dict[str, str], str]], endpoint: Any) -> dict[str, Results]:
    """`servers`: each server's URL, session cookies and CSRF token, by name."""
    import httpx2

    limits = httpx2.Limits(max_connections=streaming.CONCURRENT_STREAMS * 2)
    results: dict[str, Results] = {name: ([], []) for name in servers}
    clients = {
        name: (httpx2.AsyncClient(timeout=60, limits=limits, cookies=cookies), url, csrf)
        for name, (url, cookies, csrf) in servers.items()
    }
    try:
        asks = {
            name: (lambda c=client, u=url, t=csrf: streaming.through_app(c, u, endpoint, t))
            for name, (client, url, csrf) in clients.items()
        }
        for ask in asks.values():
            await streaming.sequential(ask, 3)  # warm-up: connections, tokenizer
        order = list(asks.items())
        for turn in range(TURNS):
            for name, ask in order if turn % 2 == 0 else reversed(order):  # neither always goes first
                alone, p95 = await _turn(ask)
                results[name][0].extend(alone)
                results[name][1].append(p95)
    finally:
        for client, _, _ in clients.values():
            await client.aclose()
    return results


def run() -> list[report.Row]:
    with (
        stack.postgres_database() as url,
        stack.scratch_stack(
            hubsim_args=["--token-latency-ms", str(streaming.TOKEN_LATENCY_MS)], database_url=url
        ) as scratch,
    ):
        user, endpoint = streaming.prepare_endpoint(scratch.hub)
        with (
            stack.web_process(WORKERS, {"DB_POOL_MAX_SIZE": POOL_SIZE}) as pooled,
            stack.web_process(WORKERS, {"DB_POOL_MAX_SIZE": "0"}) as connecting,
        ):
            servers = {
                name: (server.url, *stack.session_cookies(user, server.url, "/playground/"))
                for name, server in (("pooled", pooled), ("connecting", connecting))
            }
            results = asyncio.run(_measure(servers, endpoint))
    (pooled_alone, pooled_p95), (connecting_alone, connecting_p95) = results["pooled"], results["connecting"]
    against = f"{WORKERS} web processes, against a connection per request"
    concurrent = f"TTFT p95, {streaming.CONCURRENT_STREAMS} concurrent streams (ms), median of {TURNS} turns"
    return [
        report.Row(BENCHMARK, f"TTFT p50, one stream (ms), {against}", statistics.median(pooled_alone),
                   statistics.median(connecting_alone), "reported"),
        report.Row(BENCHMARK, f"{concurrent}, {against}", statistics.median(pooled_p95),
                   statistics.median(connecting_p95), "reported"),
    ]  # fmt: skip


if __name__ == "__main__":
    report.main(run)
