"""The image and arguments the create form sends for each engine, against what huggingface_hub's own builders
make of the same settings (its CLI's `hf endpoints deploy --engine ... --custom-image ...`, which splits
`--container-args` as a shell does)."""

import shlex

import pytest
from huggingface_hub._inference_endpoints import _build_endpoint_image_payload
from huggingface_hub.cli.inference_endpoints import _build_custom_image

from endpoints_app.engine_settings import read_settings
from endpoints_app.forms.endpoints import EndpointCreateForm
from endpoints_app.hf.remote import EndpointSpec
from endpoints_app.models import Namespace
from tests.endpoints.mirror_rows import hardware_option

pytestmark = pytest.mark.django_db

QWEN = {
    "repository": "Qwen/Qwen2.5-0.5B-Instruct",
    "name": "qwen-001",
    "task": "text-generation",
    "framework": "pytorch",
    "endpoint_type": "authenticated",
    "min_replica": "0",
    "max_replica": "1",
}


def spec_of(namespace: Namespace, **values: str) -> EndpointSpec:
    four_gpus = hardware_option(namespace, "nvidia-l4", "x4")
    four_gpus.num_accelerators = 4
    four_gpus.save()
    form = EndpointCreateForm(
        {**QWEN, "namespace": str(namespace.pk), "hardware": "aws/us-east-1/nvidia-l4/x4", **values}
    )
    assert form.is_valid(), form.errors
    return form.to_spec()


def test_vllm_as_the_client_builds_it(namespace: Namespace) -> None:
    spec = spec_of(
        namespace,
        engine="vLLM",
        vllm_tensor_parallel_size="2",
        vllm_data_parallel_size="2",
        vllm_max_num_seqs="8",
        vllm_kv_cache_dtype="fp8_e4m3",
        container_args="--enable-lora --max-lora-rank 64",
    )
    assert spec.custom_image.as_payload() == _build_custom_image(
        "vllm/vllm-openai:v0.11.0",
        engine="vllm",
        health_route="/health",
        port=8000,
        tensor_parallel_size=2,
        data_parallel_size=2,
    )
    assert spec.container_args == tuple(
        shlex.split("--max-num-seqs 8 --kv-cache-dtype fp8_e4m3 --enable-lora --max-lora-rank 64")
    )


def test_sglang_as_the_client_builds_it(namespace: Namespace) -> None:
    spec = spec_of(
        namespace, engine="sGLang", sglang_tensor_parallel_size="4", sglang_max_prefill_tokens="8192"
    )
    assert spec.custom_image.as_payload() == _build_custom_image(
        "lmsysorg/sglang:v0.5.2", engine="sglang", health_route="/health", port=30000, tensor_parallel_size=4
    )
    assert spec.container_args == ("--max-prefill-tokens", "8192")


def test_a_custom_container_as_the_client_builds_it(namespace: Namespace, settings) -> None:
    settings.OPERATOR_IMAGE_REGISTRIES = ["registry.example.com/team"]  # image_policy.py
    spec = spec_of(
        namespace,
        engine="custom",
        image_url="registry.example.com/team/app:1",
        health_route="/ok",
        port="7860",
    )
    flat = {"url": "registry.example.com/team/app:1", "healthRoute": "/ok", "port": 7860}
    assert spec.custom_image.as_payload() == _build_endpoint_image_payload(flat)
    assert spec.container_args == ()


def test_the_default_container_sends_no_image(namespace: Namespace) -> None:
    spec = spec_of(namespace, engine="huggingface", vllm_max_num_seqs="8", container_args="--ignored")
    assert (spec.custom_image, spec.container_args) == (None, ())


def test_what_is_sent_reads_back_as_the_same_settings(namespace: Namespace) -> None:
    spec = spec_of(namespace, engine="llamacpp", llamacpp_gguf_file="q.gguf", llamacpp_ctx_size="8192")
    model = {"image": spec.custom_image.as_payload(), "args": list(spec.container_args)}
    settings = read_settings(model)
    assert (settings.variant, settings.values) == ("llamacpp", {"gguf_file": "q.gguf", "ctx_size": 8192})
    assert model["image"]["llamacpp"]["modelPath"] == "/repository/q.gguf"
