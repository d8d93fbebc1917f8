"""The Overview with 1,000 endpoints mirrored (running for 10 hours, a tenth of them unused since, under two
policies): server time p50/p95 and SQL queries, against the endpoint list page of the same fleet, in the
same run.

    python -m bench.overview [--repeat 50]
"""

import argparse
import statistics
from datetime import timedelta

from bench import report
from bench.endpoint_list import client_of, fleet_stack, mirror_fleet, p95, timed_in_turn

BENCHMARK = "Overview, 1,000 endpoints"
TARGET_QUERIES = 16  # a fixed number whatever the number of endpoints (tests/billing/test_overview.py)
TARGET_RATIO = 1.2  # the Overview's p50 against the list page's


def _ten_hours_of_billing() -> None:
    """Every status change 10 hours earlier; every endpoint used lately but a tenth; two policies, a mark."""
    from django.db.models import F
    from django.utils import timezone

    from billing.models import Exclusion, Policy, PolicyKind
    from endpoints_app.models import Endpoint, Namespace, StatusEvent, Tag

    StatusEvent.objects.update(at=F("at") - timedelta(hours=10))
    now = timezone.now()
    unused = [pk for index, pk in enumerate(Endpoint.objects.values_list("pk", flat=True)) if index % 10 == 0]
    Endpoint.objects.exclude(pk__in=unused).update(last_activity_at=now)
    idle = Policy.objects.create(name="Idle", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30)
    idle.namespaces.add(Namespace.objects.get(name="bench"))
    runtime = Policy.objects.create(name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=24)
    runtime.tags.add(Tag.objects.get(name="team-0"))
    Exclusion.objects.create(
        endpoint=Endpoint.objects.first(), reason="Launch", expires_at=now + timedelta(days=1)
    )


def run(repeat: int = 50) -> list[report.Row]:
    with fleet_stack() as scratch:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        mirror_fleet(scratch.hub)
        _ten_hours_of_billing()
        client = client_of("viewer")
        list_page, overview = timed_in_turn(
            [lambda: client.get("/endpoints/"), lambda: client.get("/")], repeat
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        assert "Forgotten endpoints" in page and "<strong>bench" in page
    p50, base50 = statistics.median(overview), statistics.median(list_page)
    return [
        report.Row(BENCHMARK, "server time p50 (ms), against the list page", p50, base50,
                   f"<= {TARGET_RATIO}x", p50 <= TARGET_RATIO * base50),
        report.Row(BENCHMARK, "server time p95 (ms), against the list page", p95(overview), p95(list_page),
                   "reported"),
        report.Row(BENCHMARK, "SQL queries per page", len(queries), None, f"<= {TARGET_QUERIES}",
                   len(queries) <= TARGET_QUERIES),
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_known_args()[0].repeat
    report.main(lambda: run(repeat))
