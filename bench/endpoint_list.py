"""The endpoint list with 1,000 endpoints mirrored in 3 namespaces: server time p50/p95, SQL queries and
Hugging Face API calls per page, in the same run against: the same page with 10 endpoints (its cost stays
flat as the fleet grows), the Django admin's changelist of the same rows (what a team would otherwise
use), and one list call to hubsim (what a page that asked the API would pay at least).

    python -m bench.endpoint_list [--repeat 50]
"""

import argparse
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from bench import report, stack

NAMESPACES = ("bench", "bench-org", "bench-lab")
ENDPOINTS = 1000
TOKEN = "hf_bench_token"
CONFIG = f"""
[users.bench]
orgs = ["bench-org", "bench-lab"]
tokens = ["{TOKEN}"]
gated_repos = ["*"]

[orgs.bench-org]
[orgs.bench-lab]

[quotas]
default = 100000
"""
TARGET_QUERIES = 8
FLAT_RATIO = 1.5  # 1,000 endpoints against 10
ADMIN_RATIO = 1.0  # against the admin's changelist of the same rows
KEPT = 10
TURNS = 5  # the 1,000 and the 10 endpoints alternate this many times


def timed(request: Callable[[], object], repeat: int) -> list[float]:
    return timed_in_turn([request], repeat)[0]


def timed_in_turn(requests: Sequence[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Each request's times (ms), `repeat` rounds of one request of each in turn: a machine whose speed
    drifts during the run (a shared VM) weighs on a page and its baseline alike."""
    for request in requests:
        request()  # warm: templates compiled, session cached
    samples: list[list[float]] = [[] for _ in requests]
    for _ in range(repeat):
        for request, kept in zip(requests, samples, strict=True):
            start = time.perf_counter()
            request()
            kept.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _deploy(hub) -> None:
    """1,000 endpoints over the 3 namespaces, a tenth of them still starting, through the Endpoints API."""
    for index in range(ENDPOINTS):
        namespace = NAMESPACES[index % len(NAMESPACES)]
        hub.create_endpoint(
            f"model-{index:04d}", namespace=namespace, token=TOKEN, accelerator="cpu",
            instance_type="intel-spr", instance_size="x1", tags=[f"team-{index % 5}"],
        )  # fmt: skip
    hub.control.advance(60)  # most are running now


def fleet_stack() -> AbstractContextManager[stack.Stack]:
    """The scratch stack with hubsim serving the three namespaces of CONFIG."""
    config = stack.write_scratch_file("hubsim.toml", CONFIG)
    return stack.scratch_stack(hubsim_args=["--config", str(config)])


def mirror_fleet(hub) -> None:
    """The team's token added, the 1,000 endpoints deployed on hubsim and mirrored by one sync each."""
    from django.contrib.auth.models import User

    from endpoints_app.models import Namespace
    from endpoints_app.services import credentials, sync
    from endpoints_app.services.actors import Actor

    admin = User.objects.create_superuser("bench", password=stack.ADMIN_PASSWORD)
    credentials.add_credential(Actor(admin), "Bench token", TOKEN)
    _deploy(hub)
    for namespace in Namespace.objects.all():
        sync.sync_namespace(namespace)


def client_of(role: str) -> Any:
    """Django's test client, logged in as a new user of the role, its first page already served."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user = User.objects.create_user(role, password=stack.ADMIN_PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    assert client.get("/endpoints/").status_code == 200
    return client


def _admin_client() -> Any:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    assert client.get(ADMIN_CHANGELIST).status_code == 200
    return client


ADMIN_CHANGELIST = "/admin/endpoints_app/endpoint/"


@contextmanager
def _only(count: int) -> Iterator[None]:
    """Only the first `count` endpoints are left until the block ends (a transaction, rolled back)."""
    from django.db import transaction

    from endpoints_app.models import Endpoint

    with transaction.atomic():
        kept = Endpoint.objects.order_by("pk").values_list("pk", flat=True)[:count]
        Endpoint.objects.exclude(pk__in=list(kept)).delete()
        yield
        transaction.set_rollback(True)


def _pages_in_turns(
    page: Callable[[], object], changelist: Callable[[], object], repeat: int
) -> tuple[list[float], list[float], list[float]]:
    """The list page with every endpoint, the admin's changelist, and the list page with only KEPT endpoints
    left, in TURNS turns: a machine whose speed drifts during the run weighs on all three alike."""
    full: list[float] = []
    admin: list[float] = []
    small: list[float] = []
    for _ in range(TURNS):
        turn_full, turn_admin = timed_in_turn([page, changelist], repeat // TURNS)
        full += turn_full
        admin += turn_admin
        with _only(KEPT):
            small += timed(page, repeat // TURNS)
    return full, admin, small


def run(repeat: int = 50) -> list[report.Row]:
    with fleet_stack() as scratch:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from huggingface_hub import HfApi

        hub = scratch.hub
        mirror_fleet(hub)
        api = HfApi(endpoint=hub.url, token=TOKEN)
        baseline = timed(lambda: api.list_inference_endpoints(namespace=NAMESPACES[0]), repeat)

        client, admin = client_of("viewer"), _admin_client()
        hub.control.reset_requests()
        with CaptureQueriesContext(connection) as queries:
            client.get("/endpoints/")
        query_count = len(queries)
        hf_calls = hub.control.request_counts()["total"]
        page, changelist, small = _pages_in_turns(
            lambda: client.get("/endpoints/"), lambda: admin.get(ADMIN_CHANGELIST), repeat
        )
    p50 = statistics.median(page)
    name = "list page, 1,000 endpoints"
    return [
        report.Row(name, f"server time p50 (ms), against {KEPT} endpoints", p50, statistics.median(small),
                   f"<= {FLAT_RATIO:g} x", p50 <= FLAT_RATIO * statistics.median(small)),
        report.Row(name, "server time p50 (ms), against the admin's changelist", p50,
                   statistics.median(changelist), f"<= {ADMIN_RATIO:g} x",
                   p50 <= ADMIN_RATIO * statistics.median(changelist)),
        report.Row(name, "server time p50 (ms), against one API list call", p50, statistics.median(baseline),
                   "reported"),
        report.Row(name, "server time p95 (ms), against one API list call", p95(page), p95(baseline),
                   "reported"),
        report.Row(name, "SQL queries per page", query_count, None, f"<= {TARGET_QUERIES}",
                   query_count <= TARGET_QUERIES),
        report.Row(name, "HF API calls per page", hf_calls, None, "0", hf_calls == 0),
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_known_args()[0].repeat
    report.main(lambda: run(repeat))
