"""Soak: the whole console (web, Celery workers, beat, PostgreSQL, Redis) with 500 endpoints over 5
namespaces mirrored and 50 people clicking through pages, actions, chat streams and images for a bounded
time, while hubsim misbehaves at random, Redis goes away once, a worker process is killed (SIGKILL, then
started again as a supervisor would) and the web restarts; then the system settles (no fault, reconcile,
operations finish) and the figures are read.

Error pages (a 5xx, a rendered error page, or no answer) and operations lost (stuck after the settle, or
accepted with no Operation) or duplicated (finished twice, or a create sent twice) must all be 0.

`--shape both` (the default) runs the same soak twice, each in a process and a database of its own: one web
and one worker process, then the scale-out (2 uvicorn processes behind one address, 2 worker processes), and
prints the scale-out's figures against the one-process ones. A single shape (`--shape one|scale-out`) prints
its figures against the same pages browsed one at a time before the soak, with no fault. The one-process
shape has no web restart: a single uvicorn process cannot restart without closing its socket. Not part of
CI nor of `python -m bench`: it takes minutes.

    python -m bench.soak [--seconds 60] [--users 50] [--endpoints 500] [--shape both|one|scale-out]
                         [--database postgres|sqlite] [--web process|thread] [--seed 7]
"""

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from bench import report, stack
from bench.soak_browser import Browser, Tally
from bench.soak_checks import Findings, RequestLogWatcher, find
from bench.soak_faults import FaultInjector
from bench.soak_users import Accepted, Ledger, Person

BENCHMARK = "soak"
TOKEN = "hf_soak_token"
NAMESPACES = ["soak", *(f"soak-org-{n}" for n in range(1, 5))]  # what TOKEN reaches (HUBSIM_CONFIG)
HUBSIM_CONFIG = f"""
[users.soak]
orgs = {NAMESPACES[1:]!r}
gated_repos = ["*"]
tokens = ["{TOKEN}"]
""" + "".join(f"[orgs.{org}]\n" for org in NAMESPACES[1:])
SHAPES = {"one": (1, 1), "scale-out": (2, 2)}  # web processes, worker processes
WORKER_THREADS = 2  # each worker process's concurrency
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
WORKER_KILL_AT, WEB_RESTART_AT = 0.25, 0.7  # of the soak's duration
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
        namespace = NAMESPACES[index % len(NAMESPACES)]
        hub.create_endpoint(f"fleet-{index:03d}", namespace=namespace, token=TOKEN, **kind)
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
    members: list[Member],
    server: Any,
    workers: list[stack.WorkerProcess],
    scratch: stack.Stack,
    seconds: float,
    seed: int,
) -> Soak:
    tally, ledger = Tally(), Ledger()
    people = [_person(member, server.url, tally, ledger, seed) for member in members]
    injector = FaultInjector(scratch.hub.control, NAMESPACES, random.Random(seed))
    watcher = RequestLogWatcher(scratch.hub.control)
    started = time.monotonic()
    until = started + seconds
    process_faults = [
        injector.at(started + WORKER_KILL_AT * seconds, "worker SIGKILL", workers[-1].kill_and_restart)
    ]
    if getattr(server, "workers", 1) > 1:  # restarts on the same socket (stack.WebProcess.restart)
        process_faults.append(injector.at(started + WEB_RESTART_AT * seconds, "web restart", server.restart))
    await asyncio.gather(
        *(person.session(until, THINK_SECONDS) for person in people),
        injector.run(until, FAULT_EVERY_SECONDS),
        injector.redis_outage(scratch.redis, started + 0.4 * seconds, REDIS_OUTAGE_SECONDS),
        *process_faults,
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


def _rows(
    shape: str, baseline: Tally, soak: Soak, findings: Findings, settle: float, elapsed: float
) -> list[report.Row]:
    from django.db import connection

    from endpoints_app.models import Operation

    tally = soak.tally
    outcomes = Counter(Operation.objects.values_list("state", flat=True))
    web_processes, worker_processes = SHAPES[shape]
    return [
        _reported(f"web processes ({connection.vendor})", web_processes),
        _reported(f"worker processes ({WORKER_THREADS} threads each)", worker_processes),
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


@contextmanager
def _database(kind: str) -> Iterator[str | None]:
    if kind == "sqlite":
        yield None  # the scratch folder's
    else:
        with stack.postgres_database() as url:
            yield url


def run(
    seconds: float = 60,
    users: int = 50,
    endpoints: int = 500,
    web: str = "process",
    seed: int = 7,
    shape: str = "scale-out",
    database: str = "postgres",
) -> list[report.Row]:
    """One shape's soak, against the same pages browsed one at a time before it."""
    began = time.monotonic()
    web_processes, worker_processes = SHAPES[shape]
    config = stack.write_scratch_file("hubsim.toml", HUBSIM_CONFIG)
    with (
        _database(database) as database_url,
        stack.scratch_stack(
            ["--config", str(config)], DEPLOY_SECONDS, settings=SETTINGS, database_url=database_url
        ) as scratch,
    ):
        _deploy_fleet(scratch.hub, endpoints)
        stack.team_admin(TOKEN)
        _mirror()
        web_server = stack.web_process(web_processes) if web == "process" else stack.AsgiServer()
        with ExitStack() as processes:
            workers = [
                processes.enter_context(stack.worker_process(WORKER_THREADS)) for _ in range(worker_processes)
            ]
            processes.enter_context(stack.beat_process())
            server = processes.enter_context(web_server)
            members = _team(users, server.url)
            baseline = asyncio.run(_baseline(members, server.url, seed))
            soak = asyncio.run(_soak(members, server, workers, scratch, seconds, seed))
            settle = _settle(scratch.hub)
            findings = find(soak.ledger.accepted, soak.watcher)
            _explain(soak, findings)
            return _rows(shape, baseline, soak, findings, settle, time.monotonic() - began)


def _shape_rows(shape: str, options: list[str]) -> list[report.Row]:
    """One shape's soak in a process of its own (Django is set up once per process, on its stack)."""
    command = [sys.executable, "-m", "bench.soak", *options, "--shape", shape, "--json"]  # the last --shape
    return report.from_json(subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout)


def compare(options: list[str]) -> list[report.Row]:
    """The scale-out's figures, each against the one-process shape's in the same run."""
    one = {row.measure: row.value for row in _shape_rows("one", options)}
    rows = []
    for row in _shape_rows("scale-out", options):
        baseline = one.get(row.measure)
        met = row.met if row.target != "= 0" else row.value == 0 and baseline == 0
        rows.append(report.Row("soak scale-out vs one", row.measure, row.value, baseline, row.target, met))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--endpoints", type=int, default=500)
    parser.add_argument("--shape", choices=["both", *SHAPES], default="both")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--web",
        choices=["process", "thread"],
        default="process",
        help="uvicorn in its own process(es) or a thread (one web process only)",
    )
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_known_args()[0]
    if arguments.shape == "both":
        passed = [option for option in sys.argv[1:] if option != "--json"]
        report.main(lambda: compare(passed))
    else:
        report.main(
            lambda: run(
                arguments.seconds,
                arguments.users,
                arguments.endpoints,
                arguments.web,
                arguments.seed,
                arguments.shape,
                arguments.database,
            )
        )
