"""What an endpoint's URL answers depending on its type and its state."""

import httpx2

from tests.hubsim.conftest import DEMO_TOKEN, VIEWER_TOKEN

DEPLOY_SECONDS = 0.3
DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}
PROMPT = {"inputs": "Hello", "parameters": {"max_new_tokens": 3}}


def post_generate(url: str, headers: dict | None = None) -> httpx2.Response:
    return httpx2.post(f"{url}/generate", headers=headers or {}, json=PROMPT, timeout=10)


def test_an_authenticated_endpoint_refuses_a_request_without_token(running_endpoint) -> None:
    assert post_generate(running_endpoint().url).status_code == 401


def test_an_authenticated_endpoint_serves_any_hugging_face_account(running_endpoint) -> None:
    # "Authenticated: Anyone with a Hugging Face account can access it, using their personal HF access
    # tokens" (hf-endpoints-documentation guides/configuration.md)
    response = post_generate(running_endpoint().url, {"Authorization": f"Bearer {VIEWER_TOKEN}"})
    assert response.status_code == 200


def test_an_authenticated_endpoint_refuses_an_unknown_token(running_endpoint) -> None:
    response = post_generate(running_endpoint().url, {"Authorization": "Bearer hf_not_a_real_token"})
    assert response.status_code == 401


def test_an_authenticated_endpoint_serves_a_token_of_its_namespace(running_endpoint) -> None:
    assert post_generate(running_endpoint().url, DEMO).status_code == 200


def test_a_private_endpoint_needs_a_token_too(running_endpoint) -> None:
    assert post_generate(running_endpoint(type="private").url).status_code == 401


def test_a_private_endpoint_serves_only_its_namespace(running_endpoint) -> None:
    # "Private: Accessible only to you, or members of your Hugging Face organization" (same page)
    url = running_endpoint(type="private", namespace="demo-org").url
    viewer = post_generate(url, {"Authorization": f"Bearer {VIEWER_TOKEN}"})
    assert (viewer.status_code, post_generate(url, DEMO).status_code) == (403, 200)


def test_a_private_link_endpoint_is_not_reachable_from_outside(running_endpoint) -> None:
    url = running_endpoint(private_link_account_id="123456789012", private_link_region="us-east-1").url
    response = post_generate(url, DEMO)
    assert response.status_code == 403
    assert "PrivateLink" in response.json()["error"]


def test_a_public_endpoint_serves_anyone(running_endpoint) -> None:
    assert post_generate(running_endpoint(type="public").url).status_code == 200


def test_a_paused_endpoint_refuses_requests(running_endpoint) -> None:
    endpoint = running_endpoint()
    url = endpoint.url
    endpoint.pause()
    response = post_generate(url, DEMO)
    assert (response.status_code, response.json()["error"]) == (400, "Bad Request: Invalid state")


def test_a_failed_endpoint_refuses_requests(hubsim, running_endpoint) -> None:
    url = running_endpoint().url
    hubsim.control.set_state("demo", "gemma-test", "failed")
    assert post_generate(url, DEMO).status_code == 400


def test_an_endpoint_still_initializing_answers_503(hubsim, create_endpoint) -> None:
    create_endpoint()
    url = hubsim.control.set_state("demo", "gemma-test", "initializing")["status"]["url"]
    assert post_generate(url, DEMO).status_code == 503


def test_a_scaled_to_zero_endpoint_answers_503_and_wakes_up(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint().scale_to_zero()
    first = post_generate(endpoint.url, DEMO).status_code
    woken = endpoint.fetch().status
    hubsim.control.advance(DEPLOY_SECONDS)
    assert (first, woken, post_generate(endpoint.url, DEMO).status_code) == (503, "initializing", 200)


def test_the_scale_up_timeout_header_waits_for_the_wake_up(running_endpoint) -> None:
    endpoint = running_endpoint().scale_to_zero()
    response = post_generate(endpoint.url, {**DEMO, "X-Scale-Up-Timeout": "10"})
    assert (response.status_code, endpoint.fetch().status) == (200, "running")


def test_each_request_counts_as_activity_for_scale_to_zero(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint(min_replica=0, scale_to_zero_timeout=10)
    hubsim.control.advance(9 * 60)
    post_generate(endpoint.url, DEMO)
    hubsim.control.advance(9 * 60)
    assert endpoint.fetch().status == "running"


def test_an_unknown_endpoint_url_answers_404(hubsim) -> None:
    assert post_generate(f"{hubsim.url}/e/0000000000000000", DEMO).status_code == 404


def test_the_health_route_answers_200_once_running(running_endpoint) -> None:
    assert httpx2.get(f"{running_endpoint().url}/health", headers=DEMO).status_code == 200
