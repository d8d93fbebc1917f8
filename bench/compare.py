"""A 4-way comparison against a single chat, in the same run.

Four running endpoints on hubsim. Each round asks every endpoint alone (a single chat through the answer
route, one after the other: the baseline), then all four at once as the compare page does (one stream per
column, each in its column's conversation). The figure is each column's median time to first token against
the same endpoint's alone; target: the slowest column within 1.2x. For context, the same two shapes straight
to hubsim (no console). `python -m bench.compare` prints a table.
"""

import asyncio
import os
import statistics
from typing import Any

from bench import report, stack
from bench.streaming import TOKEN_LATENCY_MS, ask_app, ask_direct

ROUNDS = 15
COLUMNS = 4
MAX_NEW_TOKENS = 40
QUESTION = "Which is the largest planet of the solar system?"
BENCHMARK = "compare"


def _prepare(hub: Any) -> tuple[Any, list[Any]]:
    """An admin with the demo credential, and four running endpoints in the mirror."""
    from endpoints_app.models import Endpoint, Namespace
    from endpoints_app.services import sync

    admin = stack.team_admin()
    names = [f"gemma-column-{index}" for index in range(COLUMNS)]
    for name in names:
        hub.create_endpoint(name)
        hub.control.set_state("demo", name, "running")
    namespace = Namespace.objects.get(name="demo")
    sync.sync_namespace(namespace)
    return admin, [Endpoint.objects.get(namespace=namespace, name=name) for name in names]


def _column_forms(user: Any, endpoints: list[Any]) -> list[dict[str, str]]:
    """A new comparison's columns, as the compare page posts them to the answer route."""
    from playground_app.parameters import ChatParameters
    from playground_app.services.comparisons import start_comparison

    comparison = start_comparison(
        user,
        endpoints,
        prompt=QUESTION,
        system_prompt="",
        parameters=ChatParameters(max_new_tokens=MAX_NEW_TOKENS, seed=42),
        blind=False,
    )
    return [
        {
            "conversation": str(column.conversation_id),
            "endpoint": str(column.endpoint_id),
            "mode": column.mode,
            "max_new_tokens": str(MAX_NEW_TOKENS),
            "seed": "42",
            "text": QUESTION,
            "action": "send",
        }
        for column in comparison.columns.order_by("letter")
    ]


def _single_form(endpoint: Any) -> dict[str, str]:
    return {"endpoint": str(endpoint.pk), "mode": "messages", "max_new_tokens": str(MAX_NEW_TOKENS),
            "seed": "42", "text": QUESTION}  # fmt: skip


async def _measure(
    base_url: str, user: Any, endpoints: list[Any], cookies: dict[str, str], csrf: str
) -> tuple[dict[int, list[float]], dict[int, list[float]], report.Row]:
    import httpx2
    from asgiref.sync import sync_to_async

    alone: dict[int, list[float]] = {endpoint.pk: [] for endpoint in endpoints}
    together: dict[int, list[float]] = {endpoint.pk: [] for endpoint in endpoints}
    direct_alone: list[float] = []
    direct_together: list[float] = []
    async with httpx2.AsyncClient(timeout=60, cookies=cookies) as client:
        for endpoint in endpoints:  # warm-up: connections, engine
            await ask_app(client, base_url, csrf, _single_form(endpoint))
        for _ in range(ROUNDS):
            for endpoint in endpoints:
                single = await ask_app(client, base_url, csrf, _single_form(endpoint))
                alone[endpoint.pk].append(single.ttft_ms)
            forms = await sync_to_async(_column_forms)(user, endpoints)
            timings = await asyncio.gather(*(ask_app(client, base_url, csrf, form) for form in forms))
            for form, timing in zip(forms, timings, strict=True):
                together[int(form["endpoint"])].append(timing.ttft_ms)
            # The same shapes straight to hubsim: what the machine and the emulator alone add.
            direct_alone += [(await ask_direct(client, endpoint)).ttft_ms for endpoint in endpoints]
            direct = await asyncio.gather(*(ask_direct(client, endpoint) for endpoint in endpoints))
            direct_together.append(max(timing.ttft_ms for timing in direct))
    context = report.Row(
        BENCHMARK,
        "slowest of 4 at once straight to hubsim, TTFT p50 ms (no console)",
        statistics.median(direct_together),
        statistics.median(direct_alone),
        "reported",
    )
    return alone, together, context


def run() -> list[report.Row]:
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with stack.scratch_stack(hubsim_args=["--token-latency-ms", str(TOKEN_LATENCY_MS)]) as scratch:
        user, endpoints = _prepare(scratch.hub)
        with stack.AsgiServer() as server:
            cookies, csrf = stack.session_cookies(user, server.url, "/playground/")
            alone, together, context = asyncio.run(_measure(server.url, user, endpoints, cookies, csrf))
    medians = [(statistics.median(together[e.pk]), statistics.median(alone[e.pk])) for e in endpoints]
    rows = [
        report.Row(BENCHMARK, f"TTFT p50 ms, column {index + 1} of {COLUMNS}", value, baseline, "reported")
        for index, (value, baseline) in enumerate(medians)
    ]
    worst = max(rows, key=lambda row: row.ratio or 0)
    rows.append(
        report.Row(BENCHMARK, "column furthest from its endpoint alone, TTFT p50 ms", worst.value,
                   worst.baseline, "<= 1.2 x alone", (worst.ratio or 0) <= 1.2)
    )  # fmt: skip
    rows.append(context)
    rows.append(
        report.Row(BENCHMARK, "that ratio against the ratio straight to hubsim", worst.ratio or 0,
                   context.ratio, "reported")
    )  # fmt: skip
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return rows


if __name__ == "__main__":
    report.main(run)
