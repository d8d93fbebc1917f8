"""Update and clone keep an endpoint's engine and its settings: the update form shows them and sends the
whole image back when one of them changes (with the fields the console does not offer), the clone starts from
them."""

import pytest
from django.urls import reverse

from endpoints_app.forms.endpoints import EndpointUpdateForm
from endpoints_app.hf.remote import CustomImage
from endpoints_app.models import Endpoint, Namespace
from endpoints_app.services import operations
from tests.core.test_create_payload import spec
from tests.endpoints.form_flow import (
    browser_values,
    logged_in,
    progress_until_done,
    started_operation,
    submit,
)
from tests.endpoints.mirror_rows import endpoint_row, hardware_option, raw_endpoint
from tests.fixtures.team import Team
from tests.waiting import finished

VLLM_IMAGE = {
    "url": "vllm/vllm-openai:v0.11.0",
    "healthRoute": "/health",
    "port": 8000,
    "tensorParallelSize": 1,
}
# A llama.cpp image as a catalog recipe might set it: `variant` and `threadsHttp` are fields the form does not
# offer, and an update must send them back.
LLAMACPP_IMAGE = {
    "url": "ghcr.io/ggml-org/llama.cpp:server",
    "healthRoute": "/health",
    "port": 8080,
    "modelPath": "/repository/qwen2.5-0.5b-instruct-q4_k_m.gguf",
    "ctxSize": 4096,
    "nParallel": 4,
    "threadsHttp": 2,
}


@pytest.fixture
def qwen_on_vllm(ready_team: Team) -> Endpoint:
    qwen = spec(
        "qwen-vllm",
        repository="Qwen/Qwen2.5-0.5B-Instruct",
        accelerator="gpu",
        instance_type="nvidia-l4",
        instance_size="x1",
        custom_image=CustomImage(
            "vllm/vllm-openai:v0.11.0", "/health", "vLLM", 8000, {"tensorParallelSize": 1}
        ),
        container_args=("--max-num-seqs", "8", "--enable-prefix-caching"),
    )
    operation = finished(operations.create_endpoint(ready_team.actor(), ready_team.namespace, qwen))
    assert operation.state == "succeeded", operation.error
    return operation.endpoint


def test_the_update_form_shows_the_engine_settings_and_changes_them(
    ready_team: Team, qwen_on_vllm: Endpoint
) -> None:
    client = logged_in(ready_team.operator)
    update_url = reverse("endpoints:update", args=[qwen_on_vllm.pk])
    form = client.get(update_url).context["form"]
    assert (form["vllm_max_num_seqs"].value(), form["vllm_tensor_parallel_size"].value()) == (8, 1)
    assert form["container_args"].value() == "--enable-prefix-caching"

    values = {**browser_values(form), "vllm_max_num_seqs": "32", "vllm_kv_cache_dtype": "fp8"}
    operation = started_operation(submit(client, update_url, values))
    final = progress_until_done(client, operation)

    assert "Done: the endpoint is <strong>running</strong>" in final
    assert "custom_image" not in operation.payload  # only the arguments changed
    qwen_on_vllm.refresh_from_db()
    model = qwen_on_vllm.raw["model"]
    assert model["image"] == {"vLLM": VLLM_IMAGE}
    assert model["args"] == ["--max-num-seqs", "32", "--kv-cache-dtype", "fp8", "--enable-prefix-caching"]
    assert qwen_on_vllm.engine == "vllm"


def test_an_image_field_changed_sends_the_whole_image_back(namespace: Namespace) -> None:
    hardware_option(namespace, "intel-spr", "x4")
    raw = raw_endpoint("qwen-gguf", image={"llamacpp": LLAMACPP_IMAGE})
    endpoint = endpoint_row(namespace, "qwen-gguf", raw=raw, instance_type="intel-spr", instance_size="x4")
    initial = EndpointUpdateForm(endpoint=endpoint).initial
    data = {key: value for key, value in initial.items() if value is not None}
    form = EndpointUpdateForm({**data, "llamacpp_n_parallel": "8", "tags": ""}, endpoint=endpoint)

    assert form.is_valid(), form.errors
    update = form.to_update()
    assert update.custom_image.as_payload() == {"llamacpp": {**LLAMACPP_IMAGE, "nParallel": 8}}
    assert update.container_args is None


def test_an_update_of_other_settings_leaves_the_image_and_arguments_alone(namespace: Namespace) -> None:
    hardware_option(namespace, "nvidia-l4")
    raw = raw_endpoint("qwen-vllm", image={"vLLM": VLLM_IMAGE}, args=["--max-num-seqs", "8"])
    endpoint = endpoint_row(namespace, "qwen-vllm", raw=raw, instance_type="nvidia-l4")
    initial = EndpointUpdateForm(endpoint=endpoint).initial
    data = {key: value for key, value in initial.items() if value is not None}
    form = EndpointUpdateForm({**data, "max_replica": "3", "tags": ""}, endpoint=endpoint)

    assert form.is_valid(), form.errors
    update = form.to_update()
    assert (update.max_replica, update.custom_image, update.container_args) == (3, None, None)


def test_an_image_with_registry_credentials_is_left_as_it_is(namespace: Namespace) -> None:
    image = {"custom": {"url": "registry.example.com/a:1", "credentials": {"username": "", "password": None}}}
    endpoint = endpoint_row(namespace, "private-image", raw=raw_endpoint("private-image", image=image))
    form = EndpointUpdateForm(endpoint=endpoint)

    assert "image_url" not in form.fields and form.engine_sections == []
    assert "whose password the API never shows" in form.engine_note


def test_clone_starts_from_the_engine_and_its_settings(client_as, namespace: Namespace) -> None:
    raw = raw_endpoint("qwen-vllm", image={"vLLM": VLLM_IMAGE}, args=["--max-num-seqs", "8", "--enable-lora"])
    source = endpoint_row(namespace, "qwen-vllm", raw=raw, engine="vllm")

    form = client_as("operator").get(reverse("endpoints:clone", args=[source.pk])).context["form"]

    assert form["engine"].value() == "vLLM"
    assert (form["vllm_max_num_seqs"].value(), form["vllm_tensor_parallel_size"].value()) == (8, 1)
    assert (form["image_url"].value(), form["port"].value()) == ("vllm/vllm-openai:v0.11.0", 8000)
    assert form["container_args"].value() == "--enable-lora"
