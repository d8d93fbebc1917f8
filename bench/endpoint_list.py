"""How long the endpoint list takes with 1,000 mirrored endpoints, against a baseline of 10 in the same run.

    .venv/bin/python -m bench.endpoint_list [--endpoints 1000] [--repeat 20]

A scratch SQLite database (the test settings), the full middleware stack through Django's test client, the
median of `repeat` requests. Prints milliseconds, database queries and the ratio to the baseline.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from endpoints_app.models import Credential, Endpoint, Namespace, Operation, Tag  # noqa: E402

STATUSES = ("running", "running", "paused", "scaledToZero", "running", "initializing", "failed", "running")


def mirror(count: int, prefix: str) -> None:
    """`count` endpoints over two namespaces, with tags and a few operations under way."""
    credential = Credential(label=f"{prefix} token", hf_username=prefix, reached_namespaces=[prefix])
    credential.set_token(f"hf_bench_{prefix}")
    credential.save()
    namespaces = [
        Namespace.objects.create(name=f"{prefix}-{n}", credential=credential, last_synced_at=timezone.now())
        for n in range(2)
    ]
    now = timezone.now()
    endpoints = Endpoint.objects.bulk_create(
        Endpoint(
            namespace=namespaces[n % 2],
            name=f"{prefix}-endpoint-{n:05d}",
            status=STATUSES[n % len(STATUSES)],
            repository=f"org/model-{n % 40}",
            task="text-generation" if n % 3 else "text-to-image",
            vendor="aws",
            region="us-east-1",
            accelerator="gpu",
            instance_type="nvidia-a10g",
            instance_size="x1",
            url=f"https://{prefix}-{n}.example.org",
            ready_replica=1,
            target_replica=1,
            price_per_hour=Decimal("1.00"),
            raw={"name": f"{prefix}-endpoint-{n:05d}"},
            remote_updated_at=now,
        )
        for n in range(count)
    )
    tags = [Tag.objects.get_or_create(name=f"team-{n}")[0] for n in range(5)]
    through = Endpoint.tags.through
    through.objects.bulk_create(
        through(endpoint_id=endpoint.pk, tag_id=tags[n % 5].pk) for n, endpoint in enumerate(endpoints)
    )
    Operation.objects.bulk_create(
        Operation(kind="resume", namespace=e.namespace, endpoint_name=e.name, endpoint=e, state="waiting")
        for e in endpoints[::50]
    )


def queries_of(request: Callable[[], object]) -> int:
    """Database queries one request makes (counted on the connection, which each request reopens)."""
    count = 0

    def counting(execute: Callable, sql: str, params: object, many: bool, context: object) -> object:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        request()
    return count


def timed(request: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Median milliseconds of `repeat` calls, and the queries of one."""
    request()  # warm: templates compiled, session cached
    queries = queries_of(request)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        request()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    user = User.objects.create_user("bench", password="unused-bench-password")
    user.groups.add(Group.objects.get(name="viewer"))
    client = Client()
    client.force_login(user)
    url, live = reverse("endpoints:list"), reverse("endpoints:list_live")

    mirror(10, "small")
    baseline, baseline_queries = timed(lambda: client.get(url, {"namespace": "small-0"}), args.repeat)
    mirror(args.endpoints, "big")
    rows = [
        ("list, 10 endpoints (baseline)", lambda: client.get(url, {"namespace": "small-0"})),
        (f"list, {args.endpoints} endpoints, first page", lambda: client.get(url)),
        (f"list, {args.endpoints} endpoints, by price", lambda: client.get(url, {"sort": "-price"})),
        (f"list, {args.endpoints} endpoints, searched", lambda: client.get(url, {"q": "model-7"})),
        ("live part (rows changed: 200)", lambda: client.get(live)),
    ]
    etag = client.get(live)["ETag"]
    rows.append(
        ("live part (nothing changed: 304)", lambda: client.get(live, headers={"if-none-match": etag}))
    )

    print(f"{'request':<45} {'median ms':>10} {'queries':>8} {'x baseline':>11}")
    for label, request in rows:
        milliseconds, queries = timed(request, args.repeat)
        print(f"{label:<45} {milliseconds:>10.1f} {queries:>8} {milliseconds / baseline:>11.2f}")
    print(f"(baseline alone before the big mirror: {baseline:.1f} ms, {baseline_queries} queries)")
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
