"""The observability APIs, fed by the traffic each endpoint really received: ``/open-metrics`` in the
analytics guide's format (read with prometheus_client's parser) and ``/logs`` per replica."""

import re
from datetime import UTC, datetime, timedelta

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.hubsim.conftest import DEMO_TOKEN, VIEWER_TOKEN

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}
GOOD = {"inputs": "Hello", "parameters": {"max_new_tokens": 3}}
REFUSED = {"inputs": "Hello", "parameters": {"max_new_tokens": 0}}  # TGI: 422
# "6pajyw3k-z7ghx" (hf-endpoints-documentation guides/logs.md)
REPLICA_NAME = re.compile(r"^[a-z0-9]{8}-[a-z0-9]{5}$")


def metrics(hubsim, name: str = "gemma-test") -> dict[str, list]:
    response = httpx2.get(f"{hubsim.api_url}/endpoint/demo/{name}/open-metrics", headers=DEMO)
    assert response.status_code == 200, response.text
    return {family.name: family.samples for family in text_string_to_metric_families(response.text)}


def logs(hubsim, name: str = "gemma-test", **params) -> dict:
    response = httpx2.get(f"{hubsim.api_url}/endpoint/demo/{name}/logs", headers=DEMO, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def requests_by(samples: list) -> dict[tuple[str, str], float]:
    return {(s.labels["replica_id"], s.labels["status_code"]): s.value for s in samples}


def generate(url: str, body: dict, headers: dict | None = None) -> int:
    return httpx2.post(f"{url}/generate", json=body, headers=DEMO if headers is None else headers).status_code


@pytest.mark.parametrize("route", ["open-metrics", "logs"])
def test_both_routes_need_a_token_of_the_namespace(hubsim, running_endpoint, route: str) -> None:
    running_endpoint()
    url = f"{hubsim.api_url}/endpoint/demo/gemma-test/{route}"
    statuses = [
        httpx2.get(url).status_code,
        httpx2.get(url, headers={"Authorization": f"Bearer {VIEWER_TOKEN}"}).status_code,
        httpx2.get(f"{hubsim.api_url}/endpoint/demo/missing/{route}", headers=DEMO).status_code,
    ]
    assert statuses == [401, 403, 404]


def test_requests_are_counted_by_status_code_and_replica(hubsim, running_endpoint) -> None:
    url = running_endpoint().url
    statuses = [generate(url, GOOD), generate(url, GOOD), generate(url, REFUSED)]
    families = metrics(hubsim)
    (replica,) = {replica for replica, _ in requests_by(families["http_requests"])}
    assert statuses == [200, 200, 422]
    assert requests_by(families["http_requests"]) == {(replica, "200"): 2, (replica, "422"): 1}
    assert REPLICA_NAME.match(replica)


def test_the_latency_distribution_counts_every_request_in_seconds(hubsim, running_endpoint) -> None:
    url = running_endpoint().url
    for _ in range(3):
        generate(url, GOOD)
    summary = {(s.name, s.labels.get("quantile")): s.value for s in metrics(hubsim)["latency_distribution"]}
    assert summary[("latency_distribution_count", None)] == 3
    assert 0 < summary[("latency_distribution", "0.5")] <= summary[("latency_distribution", "0.99")] < 10
    assert summary[("latency_distribution_sum", None)] >= summary[("latency_distribution", "0.99")]


def test_requests_are_shared_by_the_replicas(hubsim, running_endpoint) -> None:
    url = running_endpoint(min_replica=2, max_replica=2).url
    for _ in range(4):
        generate(url, GOOD)
    counts = requests_by(metrics(hubsim)["http_requests"])
    assert sorted(counts.values()) == [2, 2]
    assert len({replica.split("-")[0] for replica, _ in counts}) == 1  # one deployment, two replicas


def test_requests_the_proxy_refuses_reach_no_replica_and_are_not_counted(hubsim, running_endpoint) -> None:
    url = running_endpoint().url
    assert generate(url, GOOD, headers={}) == 401
    assert "http_requests" not in metrics(hubsim) or not metrics(hubsim)["http_requests"]


def test_hardware_gauges_per_replica_gpu_ones_on_gpu_instances(hubsim, running_endpoint) -> None:
    running_endpoint()
    running_endpoint(
        "gpt2-cpu", repository="gpt2", accelerator="cpu", instance_type="intel-spr", instance_size="x2"
    )
    gpu, cpu = metrics(hubsim), metrics(hubsim, "gpt2-cpu")
    assert {"cpu_usage_percent", "gpu_usage_percent"} <= set(gpu) and "gpu_usage_percent" not in cpu
    assert all(0 <= sample.value <= 100 for sample in gpu["cpu_usage_percent"])
    assert REPLICA_NAME.match(gpu["gpu_usage_percent"][0].labels["replica_id"])


def test_a_paused_endpoint_has_no_replica_gauges_but_keeps_its_counts(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint()
    generate(endpoint.url, GOOD)
    endpoint.pause()
    families = metrics(hubsim)
    assert families["cpu_usage_percent"] == []
    assert list(requests_by(families["http_requests"]).values()) == [1]


def test_the_logs_tell_the_deployment_then_the_requests(hubsim, running_endpoint) -> None:
    url = running_endpoint().url
    generate(url, GOOD)
    lines = logs(hubsim)["items"]
    messages = [line["message"] for line in lines]
    assert messages[0].startswith("Deployment ") and "nvidia-a10g x1 on aws/us-east-1" in messages[0]
    assert "Pulling ghcr.io/huggingface/text-generation-inference:latest" in messages
    assert any(message.startswith("Downloading google/gemma-1.1-2b-it") for message in messages)
    assert "text-generation-inference is ready: the health check on /health answered 200" in messages
    assert re.fullmatch(r'"POST /generate HTTP/1\.1" 200 \(\d+ ms\)', messages[-1])
    assert [line["kind"] for line in lines] == ["build"] * 4 + ["runtime"] * 2
    assert {line["replica"] for line in lines} == {lines[-1]["replica"]}
    assert lines == sorted(lines, key=lambda line: line["timestamp"])


def test_a_failed_deployment_logs_its_error(hubsim, create_endpoint) -> None:
    hubsim.control.fail_next_deployment("demo", "gemma-test", "Endpoint failed to start: out of memory")
    create_endpoint()
    hubsim.control.advance(1)
    errors = logs(hubsim, level="error")["items"]
    assert [(line["kind"], line["message"]) for line in errors] == [
        ("build", "Endpoint failed to start: out of memory")
    ]


def test_pause_and_scale_to_zero_stop_the_replicas_in_the_logs(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint().scale_to_zero()
    generate(endpoint.url, GOOD, headers={**DEMO, "X-Scale-Up-Timeout": "10"})
    endpoint.pause()
    messages = [line["message"] for line in logs(hubsim, kind="runtime")["items"]]
    assert messages[1:] == [
        "Replica stopped: the endpoint scaled to zero",
        "text-generation-inference is ready: the health check on /health answered 200",
        messages[3],
        "Replica stopped: the endpoint was paused",
    ]
    assert messages[3].startswith('"POST /generate HTTP/1.1" 200')


def test_lines_can_be_chosen_by_replica_level_and_time(hubsim, running_endpoint) -> None:
    url = running_endpoint(min_replica=2, max_replica=2).url
    for body in (GOOD, REFUSED):
        generate(url, body)
    everything = logs(hubsim)["items"]
    replica = everything[-1]["replica"]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert {line["replica"] for line in logs(hubsim, replica=replica)["items"]} == {replica}
    assert [line["level"] for line in logs(hubsim, level="warn")["items"]] == ["warn"]
    assert logs(hubsim, since=later)["items"] == []
    assert logs(hubsim, until=later)["items"] == everything


def test_the_latest_lines_come_first_and_a_cursor_loads_older_ones(hubsim, running_endpoint) -> None:
    url = running_endpoint().url
    for _ in range(4):
        generate(url, GOOD)
    everything = logs(hubsim)["items"]
    newest = logs(hubsim, limit=3)
    older = logs(hubsim, limit=3, cursor=newest["nextCursor"])
    oldest = logs(hubsim, limit=3, cursor=older["nextCursor"])
    assert newest["items"] == everything[-3:]
    assert older["items"] + newest["items"] == everything[-6:]
    assert oldest["items"] + older["items"] + newest["items"] == everything
    assert oldest["nextCursor"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "Invalid limit '0'"),
        ({"limit": "1001"}, "Invalid limit '1001'"),
        ({"cursor": "abc"}, "Invalid cursor 'abc'"),
        ({"level": "debug"}, "Invalid level 'debug': expected one of info, warn, error"),
        ({"kind": "audit"}, "Invalid kind 'audit': expected one of build, runtime"),
        ({"since": "yesterday"}, "Invalid since 'yesterday'"),
        ({"until": "2026-01-31T12:00:00"}, "give a time zone"),
    ],
)
def test_unreadable_log_parameters_answer_400(hubsim, running_endpoint, params: dict, message: str) -> None:
    running_endpoint()
    response = httpx2.get(f"{hubsim.api_url}/endpoint/demo/gemma-test/logs", headers=DEMO, params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_reset_forgets_logs_and_traffic(hubsim, running_endpoint) -> None:
    generate(running_endpoint().url, GOOD)
    hubsim.control.reset()
    running_endpoint()
    assert "http_requests" not in metrics(hubsim) or not metrics(hubsim)["http_requests"]
    assert not any("POST" in line["message"] for line in logs(hubsim)["items"])
