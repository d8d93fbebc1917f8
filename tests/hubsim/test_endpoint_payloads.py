"""hubsim's Endpoints API answers against the service's recorded answers (tests/hubsim/recorded.py): every
field they have, with its JSON type, and the recorded messages and hardware figures. Each answer is also read
by huggingface_hub's own classes (InferenceEndpoint, InferenceEndpointHardware)."""

import httpx2
from huggingface_hub import HfApi

from tests.hubsim.conftest import DEMO_TOKEN
from tests.hubsim.recorded import (
    ENDPOINT_PENDING,
    ENDPOINT_RUNNING,
    ENDPOINT_UPDATING,
    NULL_TASK_ERROR,
    PROVIDERS,
    missing_from,
)

# The recorded endpoint: gpt2 on the default image, on a CPU instance, scaling to zero.
GPT2_ON_CPU = {
    "repository": "gpt2",
    "accelerator": "cpu",
    "instance_type": "intel-icl",
    "instance_size": "x2",
    "min_replica": 0,
    "custom_image": None,
    "secrets": {"token": "my-token"},
}


def test_a_new_endpoint_answers_every_field_of_the_recorded_pending_one(create_endpoint) -> None:
    endpoint = create_endpoint("gpt2-cpu", **GPT2_ON_CPU)
    assert missing_from(ENDPOINT_PENDING, endpoint.raw) == []
    assert (endpoint.status, endpoint.raw["status"]["message"]) == (
        "pending",
        "Endpoint waiting to be scheduled",
    )


def test_a_running_endpoint_answers_every_field_of_the_recorded_running_one(running_endpoint) -> None:
    endpoint = running_endpoint("gpt2-cpu", **GPT2_ON_CPU)
    assert missing_from(ENDPOINT_RUNNING, endpoint.raw) == []
    assert endpoint.raw["status"]["message"] == ENDPOINT_RUNNING["status"]["message"]


def test_an_updating_endpoint_answers_every_field_of_the_recorded_updating_one(running_endpoint) -> None:
    endpoint = running_endpoint("gpt2-cpu", **GPT2_ON_CPU).update(instance_size="x4")
    assert missing_from(ENDPOINT_UPDATING, endpoint.raw) == []
    assert endpoint.raw["status"]["message"] == ENDPOINT_UPDATING["status"]["message"]


def post_create(hubsim, name: str, model: dict) -> httpx2.Response:
    """A create of gpt2's ``model`` on a CPU instance, posted as it is (no client fills it in)."""
    payload = {
        "name": name,
        "type": "authenticated",
        "provider": {"vendor": "aws", "region": "us-east-1"},
        "compute": {"accelerator": "cpu", "instanceType": "intel-spr", "instanceSize": "x2"},
        "model": {"repository": "gpt2", "framework": "pytorch", **model},
    }
    return httpx2.post(
        f"{hubsim.api_url}/endpoint/demo", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, json=payload
    )


def test_a_null_task_is_refused_with_the_recorded_message(hubsim) -> None:
    response = post_create(hubsim, "null-task", {"task": None, "image": {"huggingface": {}}})
    assert (response.status_code, response.json()["error"]) == (400, NULL_TASK_ERROR)


def test_the_provider_list_has_every_field_of_the_recorded_one(hubsim) -> None:
    answer = httpx2.get(f"{hubsim.api_url}/provider/demo", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert missing_from(PROVIDERS, answer.json()) == []


def test_the_recorded_computes_have_the_recorded_figures(hubsim) -> None:
    answer = httpx2.get(f"{hubsim.api_url}/provider/demo", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    served = {c["id"]: c for c in answer.json()["vendors"][0]["regions"][0]["computes"]}
    for recorded in PROVIDERS["vendors"][0]["regions"][0]["computes"]:
        without_quota = {key: value for key, value in recorded.items() if key != "quota"}
        assert {
            key: value for key, value in served[recorded["id"]].items() if key != "quota"
        } == without_quota


def test_the_client_reads_every_compute_of_the_provider_list(api: HfApi) -> None:
    hardware = api.list_inference_endpoints_hardware(namespace="demo")
    cpu = next(item for item in hardware if item.id == "aws-us-east-1-intel-spr-x1")
    gcp_region = {item.region for item in hardware if item.vendor == "gcp"}
    assert (cpu.num_accelerators, cpu.num_cpus, cpu.gpu_memory_gb, gcp_region) == (
        1,
        None,
        None,
        {"us-east4"},
    )
