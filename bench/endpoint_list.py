"""The endpoint list with 1,000 endpoints mirrored in 3 namespaces: server time p50/p95, SQL queries and
Hugging Face API calls per page, against one list call to hubsim (what a page that asked the API would
pay at least), in the same run.

    python -m bench.endpoint_list [--repeat 50]
"""

import argparse
import statistics
import time
from collections.abc import Callable

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
TARGET_P50_MS = 30.0
TARGET_QUERIES = 8


def _timed(request: Callable[[], object], repeat: int) -> list[float]:
    request()  # warm: templates compiled, session cached
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        request()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
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


def run(repeat: int = 50) -> list[report.Row]:
    config = stack.write_scratch_file("hubsim.toml", CONFIG)
    with stack.scratch_stack(hubsim_args=["--config", str(config)]) as scratch:
        from django.contrib.auth.models import Group, User
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from huggingface_hub import HfApi

        from endpoints_app.models import Namespace
        from endpoints_app.services import credentials, sync
        from endpoints_app.services.actors import Actor

        hub = scratch.hub
        admin = User.objects.create_superuser("bench", password=stack.ADMIN_PASSWORD)
        credentials.add_credential(Actor(admin), "Bench token", TOKEN)
        _deploy(hub)
        for namespace in Namespace.objects.all():
            sync.sync_namespace(namespace)
        api = HfApi(endpoint=hub.url, token=TOKEN)
        baseline = _timed(lambda: api.list_inference_endpoints(namespace=NAMESPACES[0]), repeat)

        viewer = User.objects.create_user("viewer", password=stack.ADMIN_PASSWORD)
        viewer.groups.add(Group.objects.get(name="viewer"))
        client = Client()
        client.force_login(viewer)
        assert client.get("/endpoints/").status_code == 200
        hub.control.reset_requests()
        page = _timed(lambda: client.get("/endpoints/"), repeat)
        hf_calls = hub.control.request_counts()["total"] / (repeat + 1)
        with CaptureQueriesContext(connection) as queries:
            client.get("/endpoints/")
    p50, base50 = statistics.median(page), statistics.median(baseline)
    name = "list page, 1,000 endpoints"
    return [
        report.Row(
            name, "server time p50 (ms)", p50, base50, f"<= {TARGET_P50_MS:g} ms", p50 <= TARGET_P50_MS
        ),
        report.Row(name, "server time p95 (ms)", _p95(page), _p95(baseline), "reported"),
        report.Row(
            name,
            "SQL queries per page",
            len(queries),
            None,
            f"<= {TARGET_QUERIES}",
            len(queries) <= TARGET_QUERIES,
        ),
        report.Row(name, "HF API calls per page", hf_calls, None, "0", hf_calls == 0),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_known_args()[0].repeat
    report.main(lambda: run(repeat))
