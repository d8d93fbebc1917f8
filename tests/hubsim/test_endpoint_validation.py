"""Each validation rule of the Endpoints API, with the status code and the message the client shows."""

import httpx2
import pytest
from huggingface_hub.errors import BadRequestError, HfHubHTTPError

from tests.hubsim.conftest import DEMO_TOKEN, VIEWER_TOKEN


def create_error(create_endpoint, *args, **kwargs) -> HfHubHTTPError:
    with pytest.raises(HfHubHTTPError) as caught:
        create_endpoint(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize("name", ["abc", "a" * 33, "Gemma-Test", "gemma_test", "-gemma", "gemma-"])
def test_names_outside_the_rules_are_refused(create_endpoint, name: str) -> None:
    error = create_error(create_endpoint, name)
    assert isinstance(error, BadRequestError)
    assert f"Invalid endpoint name '{name}'" in str(error)


def test_a_32_character_name_is_accepted(create_endpoint) -> None:
    assert create_endpoint("a" * 32).name == "a" * 32


def test_a_duplicate_name_in_the_namespace_answers_409(create_endpoint) -> None:
    create_endpoint("gemma-twice")
    error = create_error(create_endpoint, "gemma-twice")
    assert error.response.status_code == 409
    assert "Endpoint 'gemma-twice' already exists in namespace 'demo'" in str(error)


def test_the_same_name_in_another_namespace_is_fine(create_endpoint) -> None:
    create_endpoint("gemma-twice")
    assert create_endpoint("gemma-twice", namespace="demo-org").name == "gemma-twice"


def test_unknown_hardware_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, instance_type="nvidia-b300")
    assert "Unknown hardware 'nvidia-b300 x1' in aws/us-east-1" in str(error)


def test_a_size_the_instance_type_does_not_have_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, instance_size="x2", instance_type="nvidia-a10g")
    assert "Unknown hardware 'nvidia-a10g x2'" in str(error)


def test_an_unknown_region_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, region="mars-north-1")
    assert "Unknown provider region 'aws/mars-north-1'" in str(error)


def test_an_accelerator_that_does_not_match_the_instance_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, accelerator="cpu")
    assert "Hardware 'nvidia-a10g' is a gpu instance, not a cpu instance" in str(error)


def test_min_replica_above_max_replica_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, min_replica=2, max_replica=1)
    assert "minReplica (2) cannot be greater than maxReplica (1)" in str(error)


def test_a_negative_min_replica_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, min_replica=-1)
    assert "minReplica must be 0 or more, got -1" in str(error)


def test_max_replica_zero_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, min_replica=0, max_replica=0)
    assert "maxReplica must be 1 or more, got 0" in str(error)


def test_more_accelerators_than_the_quota_are_refused(create_endpoint) -> None:
    create_endpoint("big-one", instance_type="nvidia-a100", instance_size="x4", max_replica=1)
    error = create_error(create_endpoint, "big-two", instance_type="nvidia-a100", instance_size="x8")
    assert (
        "Quota exceeded for nvidia-a100 on aws in namespace 'demo': this endpoint needs 8, 4 of 8 are free"
        in str(error)
    )


def test_paused_endpoints_do_not_count_against_the_quota(create_endpoint) -> None:
    create_endpoint("big-one", instance_type="nvidia-a100", instance_size="x8").pause()
    assert create_endpoint("big-two", instance_type="nvidia-a100", instance_size="x8").status == "pending"


def test_scaled_to_zero_endpoints_count_against_the_quota(hubsim, create_endpoint) -> None:
    first = create_endpoint("big-one", instance_type="nvidia-a100", instance_size="x8")
    hubsim.control.advance(1)
    first.scale_to_zero()
    error = create_error(create_endpoint, "big-two", instance_type="nvidia-a100", instance_size="x8")
    assert "Quota exceeded" in str(error)


def test_resuming_a_paused_endpoint_checks_the_quota_again(create_endpoint) -> None:
    paused = create_endpoint("big-one", instance_type="nvidia-a100", instance_size="x8").pause()
    create_endpoint("big-two", instance_type="nvidia-a100", instance_size="x8")
    with pytest.raises(BadRequestError, match="Quota exceeded"):
        paused.resume()


def test_a_repository_that_does_not_exist_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, repository="nobody/no-such-model")
    assert "Model repository 'nobody/no-such-model' not found on the Hub" in str(error)


def test_a_gated_repository_needs_access(hubsim, monkeypatch, api) -> None:
    monkeypatch.setenv("HF_TOKEN", VIEWER_TOKEN)
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_inference_endpoint(
            "gemma-viewer",
            repository="google/gemma-1.1-2b-it",
            namespace="viewer",
            framework="pytorch",
            accelerator="gpu",
            vendor="aws",
            region="us-east-1",
            instance_size="x1",
            instance_type="nvidia-t4",
            token=VIEWER_TOKEN,
        )
    assert caught.value.response.status_code == 403
    assert "user 'viewer' must be granted access to this gated repo first" in str(caught.value)


def test_an_unknown_revision_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, revision="0" * 40)
    assert f"Revision '{'0' * 40}' not found in model repository 'google/gemma-1.1-2b-it'" in str(error)


def test_an_unknown_task_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, task="time-travel")
    assert "Unsupported task 'time-travel'" in str(error)


def test_an_unknown_endpoint_type_is_refused(create_endpoint) -> None:
    error = create_error(create_endpoint, type="secret")
    assert isinstance(error, BadRequestError)
    assert (
        "Failed to parse the request body as JSON: type: unknown variant `secret`,"
        " expected one of `public`, `authenticated`, `private`"
    ) in str(error)


def test_a_missing_task_defaults_to_the_repository_pipeline(create_endpoint) -> None:
    assert create_endpoint(task=None).task == "text-generation"


def test_a_body_without_compute_answers_400_as_the_service_reads_bodies(hubsim) -> None:
    # The service's answer to a body it cannot read: 400 "Failed to parse the request body as JSON: <path>:
    # <reason>" (recorded in huggingface_hub commit a3d9d8a for a null model.task).
    response = httpx2.post(
        f"{hubsim.api_url}/endpoint/demo",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        json={"name": "no-compute", "type": "public", "provider": {"vendor": "aws", "region": "us-east-1"}},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Failed to parse the request body as JSON: missing field `compute`"}


def test_a_body_that_is_not_json_answers_400(hubsim) -> None:
    response = httpx2.post(
        f"{hubsim.api_url}/endpoint/demo", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, content=b"{nope"
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("Failed to parse the request body as JSON")


def test_errors_carry_the_message_in_the_x_error_message_header(hubsim) -> None:
    response = httpx2.get(
        f"{hubsim.api_url}/endpoint/demo/missing", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
    )
    assert response.headers["X-Error-Message"] == "Endpoint 'missing' not found in namespace 'demo'"


def test_an_update_is_validated_like_a_create(running_endpoint) -> None:
    endpoint = running_endpoint()
    with pytest.raises(BadRequestError, match=r"minReplica \(3\) cannot be greater than maxReplica \(1\)"):
        endpoint.update(min_replica=3)


def test_an_update_past_the_quota_is_refused(running_endpoint) -> None:
    endpoint = running_endpoint()
    with pytest.raises(BadRequestError, match="Quota exceeded"):
        endpoint.update(max_replica=9)
