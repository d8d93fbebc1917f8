"""The Analytics tab's window: samples (the last hour) or their hourly sums summed per minute, hour or day,
averages of the latencies reported, and nothing from outside the window."""

from datetime import UTC, datetime, timedelta

import pytest

from endpoints_app.models import MetricsSample
from endpoints_app.services import metrics_collection
from endpoints_app.services.analytics import WINDOWS, endpoint_analytics
from tests.endpoints.mirror_rows import endpoint_row

NOW = datetime(2030, 3, 4, 12, 30, tzinfo=UTC)


@pytest.fixture
def endpoint(namespace):
    endpoint = endpoint_row(namespace, "gemma-001")
    for before, ok, refused, p50 in (
        (timedelta(minutes=10), 10, 1, 0.1),
        (timedelta(minutes=11), 4, 0, 0.3),
        (timedelta(minutes=12), 0, 0, None),  # no request since the sample before: no latency
        (timedelta(days=3), 5, 0, 0.2),
        (timedelta(days=40), 7, 0, 0.2),
    ):
        sample = MetricsSample.objects.create(
            endpoint=endpoint, at=NOW - before, requests_2xx=ok, requests_4xx=refused, latency_p50=p50,
            latency_p90=p50, latency_p99=p50, replicas=2,
        )  # fmt: skip
        metrics_collection.add_to_hour(sample)  # as the collector does
    return endpoint


def test_a_window_counts_the_samples_inside_it_only(endpoint) -> None:
    totals = {key: endpoint_analytics(endpoint, WINDOWS[key], NOW).requests for key in WINDOWS}
    assert totals["1h"] == totals["24h"] == {"2xx": 14, "4xx": 1, "5xx": 0, "other": 0}
    assert totals["7d"] == totals["30d"] == {"2xx": 19, "4xx": 1, "5xx": 0, "other": 0}


def test_the_month_is_summed_per_day_and_the_hour_per_minute(endpoint) -> None:
    month = endpoint_analytics(endpoint, WINDOWS["30d"], NOW)
    hour = endpoint_analytics(endpoint, WINDOWS["1h"], NOW)
    by_day = {bucket.start.date().isoformat(): bucket.requests["2xx"] for bucket in month.buckets}
    by_minute = {f"{bucket.start:%H:%M}": bucket.requests["2xx"] for bucket in hour.buckets}
    assert len(month.buckets) == 31 and by_day["2030-03-04"] == 14 and by_day["2030-03-01"] == 5
    assert sum(by_day.values()) == 19
    assert len(hour.buckets) == 61 and (by_minute["12:19"], by_minute["12:20"]) == (4, 10)


def test_a_bucket_averages_the_latencies_its_samples_reported(endpoint) -> None:
    day = endpoint_analytics(endpoint, WINDOWS["24h"], NOW)
    (busy,) = [bucket for bucket in day.buckets if bucket.replicas]
    assert busy.latency["latency_p50"] == pytest.approx(0.2)  # (0.1 + 0.3) / 2; the empty one is left out
    assert day.latest_latency.latency_p50 == pytest.approx(0.1)
    assert (day.latest.replicas, busy.replicas) == (2, 2)
