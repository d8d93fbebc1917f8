"""Each state transition of an endpoint, driven through the real client and hubsim's clock."""

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError, InferenceEndpointError

DEPLOY_SECONDS = 0.3  # the session's hubsim (tests/fixtures/hubsim.py)


def test_a_new_endpoint_is_pending_then_initializing_then_running(hubsim, create_endpoint) -> None:
    endpoint = create_endpoint()
    seen = [endpoint.status]
    hubsim.control.advance(DEPLOY_SECONDS * 0.5)
    seen.append(endpoint.fetch().status)
    hubsim.control.advance(DEPLOY_SECONDS)
    seen.append(endpoint.fetch().status)
    assert seen == ["pending", "initializing", "running"]


def test_a_running_endpoint_has_a_url_and_ready_replicas(running_endpoint) -> None:
    endpoint = running_endpoint()
    status = endpoint.raw["status"]
    assert endpoint.url.endswith(f"/e/{endpoint.url.rsplit('/', 1)[1]}")
    assert (status["readyReplica"], status["targetReplica"]) == (1, 1)


def test_created_by_and_updated_by_name_the_token_user(running_endpoint) -> None:
    status = running_endpoint().raw["status"]
    assert (status["createdBy"]["name"], status["updatedBy"]["name"]) == ("demo", "demo")


def test_pause_stops_a_running_endpoint(running_endpoint) -> None:
    endpoint = running_endpoint().pause()
    assert (endpoint.status, endpoint.raw["status"]["targetReplica"]) == ("paused", 0)


def test_resume_goes_through_pending_to_running(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint().pause().resume()
    first = endpoint.status
    hubsim.control.advance(DEPLOY_SECONDS * 2)
    assert (first, endpoint.fetch().status) == ("pending", "running")


def test_resume_of_a_running_endpoint_answers_400_already_running(api: HfApi, running_endpoint) -> None:
    running_endpoint()
    with pytest.raises(BadRequestError, match="already running"):
        api.resume_inference_endpoint("gemma-test", namespace="demo", running_ok=False)


def test_the_client_accepts_resume_of_a_running_endpoint_when_running_ok(running_endpoint) -> None:
    assert running_endpoint().resume(running_ok=True).status == "running"


def test_scale_to_zero_leaves_no_replica(running_endpoint) -> None:
    endpoint = running_endpoint().scale_to_zero()
    status = endpoint.raw["status"]
    assert (status["state"], status["readyReplica"], status["targetReplica"]) == ("scaledToZero", 0, 0)


def test_resume_wakes_a_scaled_to_zero_endpoint(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint().scale_to_zero().resume()
    first = endpoint.status
    hubsim.control.advance(DEPLOY_SECONDS)
    assert (first, endpoint.fetch().status) == ("initializing", "running")


def test_scale_to_zero_of_a_paused_endpoint_is_refused(running_endpoint) -> None:
    endpoint = running_endpoint().pause()
    with pytest.raises(BadRequestError, match="cannot be scaled to zero while it is paused"):
        endpoint.scale_to_zero()


def test_an_idle_endpoint_with_min_replica_0_scales_to_zero_after_its_timeout(
    hubsim, running_endpoint
) -> None:
    endpoint = running_endpoint(min_replica=0, scale_to_zero_timeout=30)
    hubsim.control.advance(29 * 60)
    before = endpoint.fetch().status
    hubsim.control.advance(2 * 60)
    assert (before, endpoint.fetch().status) == ("running", "scaledToZero")


def test_an_endpoint_with_min_replica_1_never_scales_to_zero(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint(min_replica=1)
    hubsim.control.advance(24 * 3600)
    assert endpoint.fetch().status == "running"


def test_min_replica_0_without_timeout_gets_the_documented_one_hour_default(running_endpoint) -> None:
    # "1 hour by default" (hf-endpoints-documentation guides/autoscaling.md, guides/configuration.md)
    endpoint = running_endpoint(min_replica=0)
    assert endpoint.raw["compute"]["scaling"]["scaleToZeroTimeout"] == 60


def test_a_hardware_update_goes_through_updating_to_running(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint().update(instance_type="nvidia-a100", instance_size="x1")
    first = endpoint.status
    hubsim.control.advance(DEPLOY_SECONDS)
    fetched = endpoint.fetch()
    assert (first, fetched.status, fetched.raw["compute"]["instanceType"]) == (
        "updating",
        "running",
        "nvidia-a100",
    )


def test_a_scaling_update_applies_without_redeploying(running_endpoint) -> None:
    endpoint = running_endpoint().update(max_replica=2)
    assert (endpoint.status, endpoint.raw["compute"]["scaling"]["maxReplica"]) == ("running", 2)


def test_an_update_that_cannot_deploy_ends_update_failed_with_a_message(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint().update(repository="stabilityai/stable-diffusion-xl-base-1.0")
    hubsim.control.advance(DEPLOY_SECONDS)
    endpoint.fetch()
    assert endpoint.status == "updateFailed"
    assert "text-generation-inference cannot serve" in endpoint.raw["status"]["message"]


def test_wait_raises_on_update_failed(hubsim, running_endpoint) -> None:
    endpoint = running_endpoint()
    hubsim.control.fail_next_deployment("demo", "gemma-test", "Endpoint failed to start: out of memory")
    endpoint.update(instance_type="nvidia-t4")
    with pytest.raises(InferenceEndpointError, match="failed to update"):
        endpoint.wait(timeout=10, refresh_every=0.05)


def test_sdxl_on_the_tgi_image_fails_to_deploy_with_a_message(hubsim, create_endpoint) -> None:
    endpoint = create_endpoint(
        "sdxl-on-tgi", repository="stabilityai/stable-diffusion-xl-base-1.0", task="text-to-image"
    )
    hubsim.control.advance(DEPLOY_SECONDS)
    endpoint.fetch()
    assert endpoint.status == "failed"
    assert endpoint.raw["status"]["message"] == (
        "Endpoint failed to start: text-generation-inference cannot serve"
        " 'stabilityai/stable-diffusion-xl-base-1.0', a text-to-image model."
        " Use the default image for this task."
    )


def test_wait_raises_on_a_failed_deployment(hubsim, create_endpoint) -> None:
    hubsim.control.fail_next_deployment()
    endpoint = create_endpoint()
    with pytest.raises(InferenceEndpointError, match="failed to deploy"):
        endpoint.wait(timeout=10, refresh_every=0.05)


def test_a_failed_endpoint_deploys_again_on_resume(hubsim, create_endpoint) -> None:
    hubsim.control.fail_next_deployment()
    endpoint = create_endpoint()
    hubsim.control.advance(DEPLOY_SECONDS)
    failed = endpoint.fetch().status
    endpoint.resume()
    hubsim.control.advance(DEPLOY_SECONDS)
    assert (failed, endpoint.fetch().status) == ("failed", "running")


def test_delete_removes_the_endpoint(api: HfApi, running_endpoint) -> None:
    running_endpoint().delete()
    assert api.list_inference_endpoints(namespace="demo") == []


def test_the_control_api_sets_any_state(hubsim, running_endpoint) -> None:
    running_endpoint()
    raw = hubsim.control.set_state("demo", "gemma-test", "failed", "Simulated crash")
    assert (raw["status"]["state"], raw["status"]["message"]) == ("failed", "Simulated crash")
