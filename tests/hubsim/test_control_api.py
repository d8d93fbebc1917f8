"""The control API: request counts and log, clock, reset."""

import time

import httpx2
import huggingface_hub
from huggingface_hub import HfApi

from hubsim.testing import HubsimServer
from tests.hubsim.conftest import DEMO_TOKEN, TGI_IMAGE

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def test_requests_are_counted_per_route_template(hubsim, api: HfApi, running_endpoint) -> None:
    running_endpoint()
    hubsim.control.reset_requests()
    api.list_inference_endpoints(namespace="demo")
    api.list_inference_endpoints(namespace="demo-org")
    api.get_inference_endpoint("gemma-test", namespace="demo")
    assert hubsim.control.request_counts()["by_route"] == {
        "GET /v2/endpoint/{namespace}": 2,
        "GET /v2/endpoint/{namespace}/{name}": 1,
    }


def test_requests_are_counted_per_endpoint_across_api_and_inference(
    hubsim, api: HfApi, running_endpoint
) -> None:
    endpoint = running_endpoint()
    hubsim.control.reset_requests()
    api.get_inference_endpoint("gemma-test", namespace="demo")
    httpx2.post(
        f"{endpoint.url}/generate", headers=DEMO, json={"inputs": "Hi", "parameters": {"max_new_tokens": 2}}
    )
    assert hubsim.control.request_counts()["by_endpoint"] == {"demo/gemma-test": 2}


def test_no_requests_means_zero_counts(hubsim) -> None:
    hubsim.control.reset_requests()
    assert hubsim.control.request_counts() == {"total": 0, "by_route": {}, "by_endpoint": {}}


def test_control_api_calls_are_not_logged(hubsim) -> None:
    hubsim.control.status()
    hubsim.control.clock()
    assert hubsim.control.request_log() == []


def test_the_log_records_each_request_with_its_status(hubsim, api: HfApi) -> None:
    api.list_inference_endpoints(namespace="demo")
    entry = hubsim.control.request_log()[-1]
    assert (entry["method"], entry["path"], entry["status"], entry["completed"]) == (
        "GET",
        "/v2/endpoint/demo",
        200,
        True,
    )


def test_a_stream_closed_by_the_client_is_logged_as_closed_early(monkeypatch) -> None:
    # A server of its own, with tokens 50 ms apart: the client surely leaves before the stream ends.
    with HubsimServer(extra_args=["--token-latency-ms", "50"]) as server:
        monkeypatch.setattr(huggingface_hub.constants, "INFERENCE_ENDPOINTS_ENDPOINT", server.api_url)
        api = HfApi(endpoint=server.url, token=DEMO_TOKEN)
        api.create_inference_endpoint(
            "gpt2-stream",
            repository="gpt2",
            namespace="demo",
            framework="pytorch",
            accelerator="cpu",
            vendor="aws",
            region="us-east-1",
            instance_size="x1",
            instance_type="intel-spr",
            type="public",
            custom_image=TGI_IMAGE,
        )
        server.control.advance(1)
        url = api.get_inference_endpoint("gpt2-stream", namespace="demo").url
        body = {"inputs": "The river", "parameters": {"max_new_tokens": 500}}
        with httpx2.stream("POST", f"{url}/generate_stream", json=body) as response:
            next(response.iter_lines())  # the first token arrived: the person presses "Stop"
        deadline = time.monotonic() + 10
        while not (entry := server.control.request_log()[-1])["finished"] and time.monotonic() < deadline:
            time.sleep(0.05)
    assert (entry["route"], entry["streamed"], entry["closed_early"]) == (
        "POST /e/{endpoint_id}/generate_stream",
        True,
        True,
    )


def test_a_stream_read_to_its_end_is_not_closed_early(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint(type="public")
    with httpx2.stream(
        "POST", f"{endpoint.url}/generate_stream", json={"inputs": "Hi", "parameters": {"max_new_tokens": 3}}
    ) as response:
        response.read()
    entry = hubsim.control.request_log()[-1]
    assert (entry["streamed"], entry["completed"], entry["closed_early"]) == (True, True, False)


def test_advancing_the_clock_moves_now(hubsim) -> None:
    before = hubsim.control.clock()["offset_seconds"]
    assert hubsim.control.advance(90)["offset_seconds"] == before + 90


def test_reset_removes_every_endpoint(hubsim, api: HfApi, create_endpoint) -> None:
    create_endpoint()
    hubsim.control.reset()
    assert api.list_inference_endpoints(namespace="demo") == []


def test_a_state_that_does_not_exist_is_refused(hubsim, create_endpoint) -> None:
    create_endpoint()
    response = httpx2.post(f"{hubsim.url}/_sim/endpoints/demo/gemma-test/state", json={"state": "sleeping"})
    assert (response.status_code, response.json()["error"].startswith("Unknown state 'sleeping'")) == (
        400,
        True,
    )


def test_a_quota_can_be_raised_until_the_next_reset(hubsim, create_endpoint) -> None:
    hubsim.control.set_quota("demo", "nvidia-a10g", 1)
    create_endpoint("first-001")
    try:
        create_endpoint("second-002")
        raise AssertionError("the second endpoint should exceed a quota of 1")
    except huggingface_hub.errors.HfHubHTTPError as error:
        assert "Quota exceeded for nvidia-a10g" in str(error)
    hubsim.control.reset()
    create_endpoint("first-001")
    create_endpoint("second-002")
