"""Fault injection through the control API: 429 with Retry-After, 5xx, added latency, lost answers."""

import httpx2
import pytest
from huggingface_hub import HfApi, InferenceClient
from huggingface_hub.errors import HfHubHTTPError

from tests.hubsim.conftest import DEMO_TOKEN


def test_a_429_fault_answers_with_retry_after(hubsim, api: HfApi) -> None:
    hubsim.control.inject_fault("GET", "/v2/endpoint/*", 429, retry_after=7)
    with pytest.raises(HfHubHTTPError) as caught:
        api.list_inference_endpoints(namespace="demo")
    assert (caught.value.response.status_code, caught.value.response.headers["Retry-After"]) == (429, "7")


def test_a_fault_strikes_only_the_next_n_requests(hubsim, api: HfApi) -> None:
    hubsim.control.inject_fault("GET", "/v2/endpoint/demo", 503, times=2)
    outcomes = []
    for _ in range(3):
        try:
            api.list_inference_endpoints(namespace="demo")
            outcomes.append("ok")
        except HfHubHTTPError as error:
            outcomes.append(error.response.status_code)
    assert outcomes == [503, 503, "ok"]


def test_a_5xx_fault_carries_its_message(hubsim, create_endpoint) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", 500, message="Database unavailable")
    with pytest.raises(HfHubHTTPError, match="Database unavailable"):
        create_endpoint()


def test_a_fault_before_handling_leaves_no_endpoint(hubsim, api: HfApi, create_endpoint) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", 502)
    with pytest.raises(HfHubHTTPError):
        create_endpoint()
    assert api.list_inference_endpoints(namespace="demo") == []


def test_a_fault_after_handling_hides_a_create_that_went_through(hubsim, api: HfApi, create_endpoint) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", 504, when="after")
    with pytest.raises(HfHubHTTPError) as caught:
        create_endpoint("lost-answer")
    assert caught.value.response.status_code == 504
    assert [endpoint.name for endpoint in api.list_inference_endpoints(namespace="demo")] == ["lost-answer"]


def test_a_latency_fault_after_handling_delivers_the_real_answer_late(hubsim, create_endpoint) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", latency_ms=150, when="after")
    endpoint = create_endpoint("late-answer")
    entry = hubsim.control.request_log()[-1]
    assert (endpoint.name, entry["status"], entry["duration_ms"] >= 150) == ("late-answer", 200, True)


def test_added_latency_delays_the_request(hubsim, api: HfApi) -> None:
    fault = hubsim.control.inject_fault("GET", "/v2/endpoint/demo", latency_ms=200)
    api.list_inference_endpoints(namespace="demo")
    entry = hubsim.control.request_log()[-1]
    assert (entry["status"], entry["fault"], entry["duration_ms"] >= 200) == (200, fault["id"], True)


def test_a_method_filter_spares_other_methods(hubsim, api: HfApi) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/*", 503)
    assert api.list_inference_endpoints(namespace="demo") == []
    assert len(hubsim.control.faults()) == 1


def test_cleared_faults_no_longer_strike(hubsim, api: HfApi) -> None:
    hubsim.control.inject_fault("*", "/v2/*", 503, times=5)
    hubsim.control.clear_faults()
    assert api.list_inference_endpoints(namespace="demo") == []


def test_an_inference_fault_reads_as_a_tgi_overload(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint()
    hubsim.control.inject_fault("POST", "/e/*/generate", 429, retry_after=1)
    response = httpx2.post(
        f"{endpoint.url}/generate",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        json={"inputs": "Hello"},
    )
    assert (response.status_code, response.json()["error_type"]) == (429, "overloaded")


def test_the_inference_client_raises_on_an_injected_5xx(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint()
    hubsim.control.inject_fault("POST", "/e/*/v1/chat/completions", 503)
    with pytest.raises(HfHubHTTPError) as caught:
        InferenceClient(model=endpoint.url, token=DEMO_TOKEN).chat_completion(
            [{"role": "user", "content": "Hi"}]
        )
    assert caught.value.response.status_code == 503


def test_the_control_api_is_never_faulted(hubsim) -> None:
    hubsim.control.inject_fault("*", "*", 503)
    assert hubsim.control.status()["ok"] is True


def test_a_fault_needs_a_status_or_a_latency(hubsim) -> None:
    with pytest.raises(httpx2.HTTPStatusError) as caught:
        hubsim.control.inject_fault("GET", "/v2/*")
    assert caught.value.response.json() == {"error": "a fault needs a status, a latency or both"}
