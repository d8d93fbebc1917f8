"""Who may use the Endpoints API in which namespace."""

import httpx2
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from tests.hubsim.conftest import DEMO_TOKEN, VIEWER_TOKEN


def status_of(hubsim, method: str, path: str, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx2.request(method, f"{hubsim.api_url}{path}", headers=headers).status_code


@pytest.mark.parametrize("token", [None, "hf_not_a_real_token"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/endpoint/demo"),
        ("GET", "/endpoint/demo/anything"),
        ("POST", "/endpoint/demo/anything/pause"),
        ("DELETE", "/endpoint/demo/anything"),
        ("GET", "/provider/demo"),
    ],
)
def test_a_missing_or_unknown_token_gets_401(hubsim, method: str, path: str, token: str | None) -> None:
    assert status_of(hubsim, method, path, token) == 401


def test_the_client_shows_the_401_message(hubsim) -> None:
    with pytest.raises(HfHubHTTPError, match="Invalid credentials in Authorization header"):
        HfApi(endpoint=hubsim.url, token="hf_not_a_real_token").list_inference_endpoints(namespace="demo")


def test_a_user_reaches_its_own_namespace_and_its_orgs(hubsim) -> None:
    statuses = [
        status_of(hubsim, "GET", f"/endpoint/{namespace}", DEMO_TOKEN) for namespace in ("demo", "demo-org")
    ]
    assert statuses == [200, 200]


def test_a_token_outside_the_org_gets_403(hubsim) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        HfApi(endpoint=hubsim.url, token=VIEWER_TOKEN).list_inference_endpoints(namespace="demo-org")
    assert caught.value.response.status_code == 403
    assert "You don't have access to namespace 'demo-org'" in str(caught.value)


def test_another_users_endpoint_cannot_be_paused(hubsim, running_endpoint) -> None:
    running_endpoint()
    assert status_of(hubsim, "POST", "/endpoint/demo/gemma-test/pause", VIEWER_TOKEN) == 403


def test_listing_every_namespace_of_the_user(api: HfApi, create_endpoint) -> None:
    create_endpoint("mine")
    create_endpoint("ours", namespace="demo-org")
    assert sorted(endpoint.name for endpoint in api.list_inference_endpoints(namespace="*")) == [
        "mine",
        "ours",
    ]


def test_the_hardware_list_has_prices_and_the_namespace_quota(api: HfApi, create_endpoint) -> None:
    create_endpoint("a10g-user", instance_type="nvidia-a10g", max_replica=2)
    hardware = {item.id: item for item in api.list_inference_endpoints_hardware(namespace="demo")}
    a10g = hardware["aws-us-east-1-nvidia-a10g-x1"]
    assert (a10g.price_per_hour, a10g.gpu_memory_gb, a10g.used_accelerators, a10g.max_accelerators) == (
        1.0,
        24,
        2,
        8,
    )


def test_the_hardware_list_covers_three_vendors(api: HfApi) -> None:
    hardware = api.list_inference_endpoints_hardware(namespace="demo")
    assert {item.vendor for item in hardware} == {"aws", "azure", "gcp"}
