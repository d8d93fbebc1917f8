"""Soak: the whole console (web server, one Celery worker process, beat) with 200 endpoints mirrored and 20
people clicking through pages and actions for a bounded time, while hubsim misbehaves at random and Redis
goes away once; then the system settles (no fault, reconcile, operations finish) and the figures are read.

Error pages (a 5xx, or a rendered error page) and operations lost (stuck after the settle, or accepted with
no Operation) or duplicated (finished twice, or a create sent twice) must all be 0. Page times are compared
with the same pages browsed one at a time before the soak, with no fault, in the same run. Not part of CI
nor of `python -m bench`: it takes minutes. The web server runs in its own process by default: in a thread
of this one it shares the interpreter lock with the simulated people, which put ~50% on the page times.

    python -m bench.soak [--seconds 120] [--users 20] [--endpoints 200] [--web process|thread] [--seed 7]
"""

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench import report, stack
from bench.soak_browser import Browser, Tally
from bench.soak_checks import Findings, RequestLogWatcher, find
from bench.soak_faults import FaultInjector
from bench.soak_users import Accepted, Ledger, Person

BENCHMARK = "soak"
NAMESPACES = ["demo", "demo-org"]  # what hubsim's demo token reaches
DEPLOY_SECONDS = 3.0
SETTINGS = {
    "SYNC_INTERVAL_SECONDS": "5",
    "RECONCILE_INTERVAL_SECONDS": "5",
    # Work orphaned by the Redis outage (a task lost with the broker) is picked up after this grace: short,
    # so that the settle sees it done, and still well above the longest step the injected faults allow.
    "RECONCILE_GRACE_SECONDS": "45",
    # The production limits (the settings' defaults), not the benchmarks' unlimited ones: refusals are part
    # of what the soak goes through.
    "RATE_LIMIT_ACTIONS_PER_MINUTE": "30",
    "RATE_LIMIT_PLAYGROUND_PER_MINUTE": "30",
    "LOG_LEVEL": "ERROR",  # the retries the faults cause are expected; errors are not
}
TGI = {"health_route": "/health", "env": {"MODEL_ID": "/repository"},
       "url": "ghcr.io/huggingface/text-generation-inference:latest"}  # fmt: skip
FLEET_KINDS = (  # cycled over the fleet: mostly chat models on GPUs, some images, multimodal and CPU
    {"repository": "google/gemma-1.1-2b-it", "task": "text-generation", "custom_image": TGI},
    {"repository": "Qwen/Qwen2.5-0.5B-Instruct", "task": "text-generation", "custom_image": TGI},
    {"repository": "google/gemma-1.1-2b-it", "task": "text-generation", "custom_image": TGI},
    {"repository": "stabilityai/stable-diffusion-xl-base-1.0", "task": "text-to-image",
     "instance_type": "nvidia-a100", "custom_image": None},
    {"repository": "HuggingFaceM4/idefics2-8b-chatty", "task": "image-text-to-text",
     "instance_type": "nvidia-a100", "custom_image": TGI},
    {"repository": "Qwen/Qwen2.5-0.5B-Instruct", "task": "text-generation", "accelerator": "cpu",
     "instance_type": "intel-spr", "custom_image": TGI},
)  # fmt: skip
INSTANCE_TYPES = ("nvidia-a10g", "nvidia-a100", "intel-spr")
ROLES = ("viewer", "operator", "viewer", "operator", "admin")  # 2 : 2 : 1
THINK_SECONDS = (0.5, 2.5)
FAULT_EVERY_SECONDS = (2.0, 6.0)
REDIS_OUTAGE_SECONDS = 8.0
BASELINE_CLICKS = 25  # page-only clicks for each role, one person at a time
SETTLE_DEADLINE_SECONDS = 240.0


@dataclass(frozen=True)
class Member:
    number: int
    role: str
    user_id: int
    cookies: dict[str, str]
    csrf: str


@dataclass
class Soak:
    tally: Tally
    ledger: Ledger
    faults: Counter[str]
    outages: list[tuple[float, float]]
    watcher: RequestLogWatcher

    def accepted_during_outages(self) -> list[Accepted]:
        return [
            note
            for note in self.ledger.accepted
            if any(down <= note.sent_at <= up for down, up in self.outages)
        ]


def _deploy_fleet(hub: Any, count: int) -> None:
    """`count` endpoints over the demo namespaces through the Endpoints API, most running, some paused or
    scaled to zero, and quotas high enough for the people to create more."""
    for namespace in NAMESPACES:
        for instance_type in INSTANCE_TYPES:
            hub.control.set_quota(namespace, instance_type, 100_000)
    for index in range(count):
        kind = FLEET_KINDS[index % len(FLEET_KINDS)]
        hub.create_endpoint(f"fleet-{index:03d}", namespace=NAMESPACES[index % len(NAMESPACES)], **kind)
    hub.control.advance(60)  # deployed
    for index in range(count):
        state = {3: "paused", 5: "scaledToZero"}.get(index % 8)
        if state:
            hub.control.set_state(NAMESPACES[index % len(NAMESPACES)], f"fleet-{index:03d}", state)


def _mirror() -> None:
    from endpoints_app.models import Namespace
    from endpoints_app.services import sync

    for namespace in Namespace.objects.filter(credential__isnull=False):
        sync.refresh_hardware(namespace)
        sync.sync_namespace(namespace)


def _team(count: int, base_url: str) -> list[Member]:
    from django.contrib.auth.models import Group, User

    members = []
    for number in range(count):
        role = ROLES[number % len(ROLES)]
        user = User.objects.create_user(f"soak-{role}-{number:02d}", password=stack.ADMIN_PASSWORD)
        user.groups.add(Group.objects.get(name=role))
        cookies, csrf = stack.session_cookies(user, base_url)
        members.append(Member(number, role, user.pk, cookies, csrf))
    return members


def _person(member: Member, base_url: str, tally: Tally, ledger: Ledger, seed: int) -> Person:
    browser = Browser(base_url, member.cookies, member.csrf, tally)
    return Person(
        member.number, member.role, member.user_id, browser, ledger, random.Random(seed + member.number)
    )


async def _baseline(members: list[Member], base_url: str, seed: int) -> Tally:
    """The same pages, one person of each role after the other, without load or faults."""
    tally = Tally()
    for role in dict.fromkeys(ROLES):
        person = _person(next(m for m in members if m.role == role), base_url, tally, Ledger(), seed)
        for _ in range(BASELINE_CLICKS):
            await person.browse()
        await person.browser.close()
    return tally


async def _soak(
    members: list[Member], base_url: str, scratch: stack.Stack, seconds: float, seed: int
) -> Soak:
    tally, ledger = Tally(), Ledger()
    people = [_person(member, base_url, tally, ledger, seed) for member in members]
    injector = FaultInjector(scratch.hub.control, NAMESPACES, random.Random(seed))
    watcher = RequestLogWatcher(scratch.hub.control)
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(person.session(until, THINK_SECONDS) for person in people),
        injector.run(until, FAULT_EVERY_SECONDS),
        injector.redis_outage(scratch.redis, started + 0.4 * seconds, REDIS_OUTAGE_SECONDS),
        watcher.run(until),
    )
    for person in people:
        await person.browser.close()
    return Soak(tally, ledger, injector.injected, injector.outages, watcher)


def _settle(hub: Any) -> float:
    """No fault any more; beat's reconcile picks up orphaned work; waits for every operation to end."""
    from endpoints_app.models import Operation
    from endpoints_app.models.operations import ACTIVE_STATES

    hub.control.clear_faults()
    started = time.monotonic()
    while Operation.objects.filter(state__in=ACTIVE_STATES).exists():
        if time.monotonic() - started > SETTLE_DEADLINE_SECONDS:
            break
        time.sleep(1)
    return time.monotonic() - started


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _explain(soak: Soak, findings: Findings) -> None:
    """The details behind a figure that is not 0, on stderr (the table stays on stdout)."""
    from endpoints_app.models import Operation

    failed = Operation.objects.filter(state="failed").select_related("namespace")
    details = [
        *(f"error page: {page}" for page in soak.tally.error_pages),
        *(f"failed (reported, not counted): {operation}: {operation.error}" for operation in failed),
        *(f"stuck: {operation}" for operation in findings.stuck),
        *(f"accepted, no Operation: {note}" for note in findings.unrecorded),
        *(f"finished twice: {operation}" for operation in findings.finished_twice),
        *(f"create sent twice: {entry}" for entry in findings.creates_sent_twice),
    ]
    for line in details:
        print(line, file=sys.stderr)


def _reported(measure: str, value: float, baseline: float | None = None) -> report.Row:
    return report.Row(BENCHMARK, measure, value, baseline, "reported")


def _zero(measure: str, value: int, baseline: int | None = None) -> report.Row:
    return report.Row(BENCHMARK, measure, value, baseline, "= 0", value == 0)


def _rows(baseline: Tally, soak: Soak, findings: Findings, settle: float, elapsed: float) -> list[report.Row]:
    from endpoints_app.models import Operation

    tally = soak.tally
    outcomes = Counter(Operation.objects.values_list("state", flat=True))
    return [
        _reported("requests made", tally.requests, baseline.requests),
        _zero("error pages (5xx or error page)", len(tally.error_pages), len(baseline.error_pages)),
        _zero("operations lost", findings.lost),
        _zero("operations duplicated", findings.duplicated),
        _reported(
            "page time p50 (ms)", statistics.median(tally.page_ms), statistics.median(baseline.page_ms)
        ),
        _reported("page time p95 (ms)", _p95(tally.page_ms), _p95(baseline.page_ms)),
        _reported("actions accepted", len(soak.ledger.accepted)),
        _reported("  of which during the Redis outage", len(soak.accepted_during_outages())),
        *(_reported(f"refused: {reason}", n) for reason, n in tally.refusals.most_common()),
        *(_reported(f"operations {state}", n) for state, n in sorted(outcomes.items())),
        *(_reported(f"chat answers ending {event}", n) for event, n in sorted(tally.answers.items())),
        _reported("faults injected", soak.faults.total()),
        *(_reported(f"  {kind}", n) for kind, n in sorted(soak.faults.items())),
        report.Row(
            BENCHMARK,
            "settle time (s)",
            settle,
            None,
            f"<= {SETTLE_DEADLINE_SECONDS:g}",
            settle <= SETTLE_DEADLINE_SECONDS,
        ),
        _reported("run time (s)", elapsed),
    ]


def run(
    seconds: float = 120, users: int = 20, endpoints: int = 200, web: str = "process", seed: int = 7
) -> list[report.Row]:
    began = time.monotonic()
    with stack.scratch_stack(deploy_seconds=DEPLOY_SECONDS, settings=SETTINGS) as scratch:
        _deploy_fleet(scratch.hub, endpoints)
        stack.team_admin()
        _mirror()
        web_server = stack.web_process() if web == "process" else stack.AsgiServer()
        # One worker process; beat inside it (`celery worker --beat`) sends the periodic sync and reconcile.
        with stack.worker_process(concurrency=2, beat=True), web_server as server:
            members = _team(users, server.url)
            baseline = asyncio.run(_baseline(members, server.url, seed))
            soak = asyncio.run(_soak(members, server.url, scratch, seconds, seed))
            settle = _settle(scratch.hub)
            findings = find(soak.ledger.accepted, soak.watcher)
            _explain(soak, findings)
            return _rows(baseline, soak, findings, settle, time.monotonic() - began)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument(
        "--web",
        choices=["process", "thread"],
        default="process",
        help="uvicorn in its own process or a thread",
    )
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_known_args()[0]
    report.main(
        lambda: run(arguments.seconds, arguments.users, arguments.endpoints, arguments.web, arguments.seed)
    )
