"""The Analytics tab and its collector, on 50 running endpoints of hubsim:

- the collector's cost per endpoint per round (API calls, ms), against the bare open-metrics GET of the same
  endpoints with httpx2 (what any reader pays at least), in the same run;
- the Analytics tab's server time with 30 days of samples for each of the 50 endpoints (one every
  METRICS_INTERVAL_SECONDS), against the endpoint's Overview tab (the detail page) in the same run.

    python -m bench.analytics [--repeat 20] [--rounds 5]
"""

import argparse
import random
import statistics
import time
from datetime import timedelta

from bench import report
from bench.endpoint_list import TOKEN, client_of, fleet_stack, p95, timed_in_turn

BENCHMARK = "Analytics"
ENDPOINTS = 50
NAMESPACE = "bench"
DAYS = 30
REQUESTS_PER_ENDPOINT = 3  # so that each endpoint's open-metrics has counters and a latency summary


def _running_fleet(hub) -> list:
    """50 CPU endpoints deployed on hubsim, mirrored by a sync, each sent a few requests."""
    import httpx2
    from django.contrib.auth.models import User

    from endpoints_app.models import Endpoint, Namespace
    from endpoints_app.services import credentials, sync
    from endpoints_app.services.actors import Actor

    admin = User.objects.create_superuser("bench", password="bench-password-1")
    credentials.add_credential(Actor(admin), "Bench token", TOKEN)
    for index in range(ENDPOINTS):
        hub.create_endpoint(
            f"model-{index:02d}", namespace=NAMESPACE, token=TOKEN, accelerator="cpu",
            instance_type="intel-spr", instance_size="x1",
        )  # fmt: skip
    hub.control.advance(60)
    sync.sync_namespace(Namespace.objects.get(name=NAMESPACE))
    endpoints = list(Endpoint.objects.filter(namespace__name=NAMESPACE, status="running"))
    assert len(endpoints) == ENDPOINTS, len(endpoints)
    body = {"inputs": "Hi", "parameters": {"max_new_tokens": 2}}
    with httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        for endpoint in endpoints:
            for _ in range(REQUESTS_PER_ENDPOINT):
                client.post(f"{endpoint.url}/generate", json=body)
    return endpoints


def _collector_rounds(hub, rounds: int) -> tuple[list[float], list[float], float]:
    """Per round, ms per endpoint of the collector and of bare GETs; the collector's calls per endpoint."""
    import httpx2
    from huggingface_hub import constants

    from endpoints_app.models import Namespace
    from endpoints_app.services import metrics_collection

    namespace = Namespace.objects.select_related("credential").get(name=NAMESPACE)
    names = [f"model-{index:02d}" for index in range(ENDPOINTS)]
    console, bare, calls = [], [], 0
    with httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        client.get(f"{constants.INFERENCE_ENDPOINTS_ENDPOINT}/endpoint/{NAMESPACE}/{names[0]}/open-metrics")
        for _ in range(rounds):
            hub.control.reset_requests()
            start = time.perf_counter()
            result = metrics_collection.collect_namespace(namespace)
            console.append((time.perf_counter() - start) * 1000 / ENDPOINTS)
            calls += hub.control.request_counts()["total"]
            assert result.collected == ENDPOINTS, result
            start = time.perf_counter()
            for name in names:
                url = f"{constants.INFERENCE_ENDPOINTS_ENDPOINT}/endpoint/{NAMESPACE}/{name}/open-metrics"
                client.get(url).raise_for_status()
            bare.append((time.perf_counter() - start) * 1000 / ENDPOINTS)
    return console, bare, calls / (rounds * ENDPOINTS)


def _thirty_days_of_samples(endpoints: list) -> int:
    """A sample every METRICS_INTERVAL_SECONDS over 30 days for each endpoint, with plausible figures, and
    their hourly sums as the collector keeps them.

    Written with executemany: the ORM's bulk_create of 2 million rows takes many minutes, and how the rows
    get there is not what is measured.
    """
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from endpoints_app.models import MetricsHour, MetricsSample

    rng = random.Random(13)
    now = timezone.now()
    step = timedelta(seconds=settings.METRICS_INTERVAL_SECONDS)
    count = int(timedelta(days=DAYS) / step)
    with transaction.atomic():
        MetricsSample.objects.all().delete()  # the collector's rounds: the 30 days take their place
        MetricsHour.objects.all().delete()
        for endpoint in endpoints:
            samples = [
                {
                    "endpoint": endpoint.pk,
                    "at": now - step * back,
                    "requests_2xx": rng.randint(0, 60),
                    "requests_4xx": rng.randint(0, 3),
                    "requests_5xx": rng.randint(0, 1),
                    "requests_other": 0,
                    "latency_p50": rng.uniform(0.05, 0.2),
                    "latency_p90": rng.uniform(0.2, 0.6),
                    "latency_p99": rng.uniform(0.6, 2.0),
                    "latency_count": 10_000,
                    "replicas": rng.randint(1, 2),
                    "counters": {},
                }
                for back in range(count, 0, -1)
            ]
            _insert(MetricsSample, samples)
            _insert(MetricsHour, _hourly_sums(endpoint.pk, samples))
    return count * len(endpoints)


def _hourly_sums(endpoint_id: int, samples: list[dict]) -> list[dict]:
    """What the collector's `add_to_hour` makes of the samples."""
    from endpoints_app.services.analytics import LATENCY_FIELDS, REQUEST_FIELDS

    sums = [*REQUEST_FIELDS, *(f"{name}_{part}" for name in LATENCY_FIELDS for part in ("sum", "count"))]
    hours: dict = {}
    for sample in samples:
        moment = sample["at"].replace(minute=0, second=0, microsecond=0)
        hour = hours.setdefault(
            moment, {"endpoint": endpoint_id, "hour": moment, "replicas": 0, **dict.fromkeys(sums, 0)}
        )
        for name in REQUEST_FIELDS:
            hour[name] += sample[name]
        for name in LATENCY_FIELDS:
            hour[f"{name}_sum"] += sample[name]
            hour[f"{name}_count"] += 1
        hour["replicas"] = max(hour["replicas"], sample["replicas"])
    return list(hours.values())


def _insert(model, rows: list[dict]) -> None:
    """The rows (field name -> value) in one executemany."""
    from django.db import connection

    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    # Table and column names come from the model; the values go as parameters.
    columns, marks = ", ".join(field.column for field in fields), ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608
    # Numbers go as they are; times and JSON as the field writes them (preparing every value is minutes).
    prepared = {field.name for field in fields if field.get_internal_type() in ("DateTimeField", "JSONField")}
    values = [
        tuple(
            field.get_db_prep_save(row[field.name], connection) if field.name in prepared else row[field.name]
            for field in fields
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(insert, values)


def run(repeat: int = 20, rounds: int = 5) -> list[report.Row]:
    with fleet_stack() as scratch:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        hub = scratch.hub
        endpoints = _running_fleet(hub)
        console, bare, calls = _collector_rounds(hub, rounds)
        started = time.perf_counter()
        samples = _thirty_days_of_samples(endpoints)
        print(f"{samples:,} samples written in {time.perf_counter() - started:.0f} s", flush=True)

        client = client_of("viewer")
        endpoint = endpoints[len(endpoints) // 2]
        detail = f"/endpoints/{endpoint.pk}/"
        tab = f"/endpoints/{endpoint.pk}/analytics/"
        overview, month, day = timed_in_turn(
            [
                lambda: client.get(detail),
                lambda: client.get(tab, {"window": "30d"}),
                lambda: client.get(tab, {"window": "24h"}),
            ],
            repeat,
        )
        hub.control.reset_requests()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(tab, {"window": "30d"}).content.decode()
        hf_calls = hub.control.request_counts()["total"]
        assert page.count('<rect class="series-0"') >= DAYS, "the 30 days are charted"
    base = statistics.median(overview)
    name = f"{BENCHMARK}, {ENDPOINTS} endpoints"
    return [
        report.Row(f"{name}: collector", "API calls per endpoint per round", calls, 1.0, "= 1", calls == 1),
        report.Row(f"{name}: collector", "ms per endpoint per round, p50 (baseline: bare GET)",
                   statistics.median(console), statistics.median(bare), "reported"),
        report.Row(f"{name}: tab, {DAYS} days of samples", "30d window, server time p50 (ms) vs Overview tab",
                   statistics.median(month), base, "reported"),
        report.Row(f"{name}: tab, {DAYS} days of samples", "30d window, server time p95 (ms) vs Overview tab",
                   p95(month), p95(overview), "reported"),
        report.Row(f"{name}: tab, {DAYS} days of samples", "24h window, server time p50 (ms) vs Overview tab",
                   statistics.median(day), base, "reported"),
        report.Row(f"{name}: tab, {DAYS} days of samples", "SQL queries per tab (30d)", len(queries), None,
                   "reported"),
        report.Row(f"{name}: tab, {DAYS} days of samples", "HF API calls per tab", hf_calls, None, "0",
                   hf_calls == 0),
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_known_args()[0]
    report.main(lambda: run(arguments.repeat, arguments.rounds))
