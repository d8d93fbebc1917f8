"""An endpoint of each engine created from the console's form, through the services, a real worker and the
real hubsim, to running; the service keeps every field of the image and every argument the console sent (it
drops what a variant does not declare, so a dropped setting would show here); errors keep what was typed."""

import pytest
from django.test import Client
from django.urls import reverse

from endpoints_app.engines import Engine
from endpoints_app.models import Endpoint, Operation
from endpoints_app.services.payloads import spec_from_payload
from tests.endpoints.form_flow import create_form_values, progress_until_done, started_operation, submit

CREATE = reverse("endpoints:create")

# Each engine from the preset of its kind, with settings of its own set to values that are not defaults.
ENGINES = {
    "vLLM": (
        "qwen-vllm",
        {
            "hardware": "aws/us-east-1/nvidia-l4/x4",
            "vllm_tensor_parallel_size": "2",
            "vllm_data_parallel_size": "2",
            "vllm_max_num_seqs": "8",
            "vllm_max_num_batched_tokens": "4096",
            "vllm_kv_cache_dtype": "fp8",
            "container_args": "--enable-prefix-caching",
        },
        Engine.VLLM,
    ),
    "sGLang": (
        "qwen-vllm",
        {
            "engine": "sGLang",
            "sglang_max_running_requests": "16",
            "sglang_chunked_prefill_size": "-1",
            "sglang_kv_cache_dtype": "fp8_e5m2",
        },
        Engine.SGLANG,
    ),
    "llamacpp": (
        "qwen-gguf",
        {"llamacpp_gguf_file": "qwen2.5-0.5b-instruct-q8_0.gguf", "llamacpp_n_parallel": "2"},
        Engine.LLAMACPP,
    ),
    "tei": ("bge-tei", {"tei_max_batch_tokens": "8192", "tei_pooling": "cls"}, Engine.TEI),
    "tgi": ("idefics2", {"tgi_max_input_length": "2048", "tgi_max_total_tokens": "4096"}, Engine.TGI),
    "custom": ("gemma", {"port": "80"}, Engine.TGI),  # the tutorial's TGI, as a custom container
    "huggingface": ("sdxl", {}, Engine.TOOLKIT),
}


@pytest.mark.parametrize("variant", list(ENGINES))
def test_an_endpoint_of_each_engine_runs_with_every_setting_the_console_sent(
    operator: Client, variant: str
) -> None:
    preset, changes, engine = ENGINES[variant]
    response = submit(operator, CREATE, create_form_values(operator, preset, **changes))
    operation = started_operation(response)

    assert "Done: the endpoint is <strong>running</strong>" in progress_until_done(operator, operation)
    endpoint = Endpoint.objects.get(name=operation.endpoint_name)
    assert endpoint.engine == engine
    sent = spec_from_payload(Operation.objects.get(pk=operation.pk).payload, {})
    kept = endpoint.raw["model"]
    assert next(iter(kept["image"])) == variant
    if sent.custom_image is not None:
        assert kept["image"] == sent.custom_image.as_payload()
    assert tuple(kept.get("args") or ()) == sent.container_args


def test_the_vllm_settings_go_to_the_image_and_the_command_line(operator: Client) -> None:
    preset, changes, _ = ENGINES["vLLM"]
    operation = started_operation(submit(operator, CREATE, create_form_values(operator, preset, **changes)))
    progress_until_done(operator, operation)

    model = Endpoint.objects.get(name=operation.endpoint_name).raw["model"]
    assert model["image"]["vLLM"] == {
        "url": "vllm/vllm-openai:v0.11.0",
        "healthRoute": "/health",
        "port": 8000,
        "tensorParallelSize": 2,
        "dataParallelSize": 2,
    }
    assert model["args"] == [
        "--max-num-seqs",
        "8",
        "--max-num-batched-tokens",
        "4096",
        "--kv-cache-dtype",
        "fp8",
        "--enable-prefix-caching",
    ]


def test_vllm_on_several_gpus_is_split_over_all_of_them_unless_told(operator: Client) -> None:
    values = create_form_values(operator, "qwen-vllm", hardware="aws/us-east-1/nvidia-l4/x4")
    operation = started_operation(submit(operator, CREATE, values))

    assert "Done: the endpoint is <strong>running</strong>" in progress_until_done(operator, operation)
    image = Endpoint.objects.get(name=operation.endpoint_name).raw["model"]["image"]
    assert image["vLLM"]["tensorParallelSize"] == 4


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"engine": "custom", "image_url": ""}, "image_url", "A custom container needs its image"),
        ({"engine": "llamacpp", "llamacpp_gguf_file": ""}, "llamacpp_gguf_file", "llama.cpp needs its gguf"),
        (
            {
                "hardware": "aws/us-east-1/nvidia-l4/x4",
                "vllm_tensor_parallel_size": "4",
                "vllm_data_parallel_size": "2",
            },
            "vllm_tensor_parallel_size",
            "This needs 8 GPUs (tensor times data parallel size); the instance has 4.",
        ),
        ({"container_args": "--served-model-name 'qwen"}, "container_args", "Could not read the arguments"),
    ],
)
def test_an_engine_refused_on_the_form_keeps_what_was_typed(
    operator: Client, changes: dict, field: str, error: str
) -> None:
    typed = {"vllm_max_num_seqs": "12", "env": "HF_HUB_OFFLINE=1", "tags": "team-nlp", **changes}
    response = submit(operator, CREATE, create_form_values(operator, "qwen-vllm", **typed))

    form = response.context["form"]
    assert response["HX-Retarget"] == "#endpoint-form-area"
    assert any(error in message for message in form.errors[field])
    page = response.content.decode()
    assert 'value="12"' in page and "HF_HUB_OFFLINE=1" in page and 'value="team-nlp"' in page
    assert not Operation.objects.exists()


def test_a_settings_error_of_an_engine_not_chosen_is_not_refused(operator: Client) -> None:
    values = create_form_values(operator, "qwen-vllm", tei_max_batch_tokens="not a number")
    assert started_operation(submit(operator, CREATE, values)).kind == "create"


def test_an_engine_that_cannot_serve_the_model_fails_with_the_services_message(operator: Client) -> None:
    values = create_form_values(operator, "qwen-gguf", engine="vLLM", name="gguf-on-vllm")
    final = progress_until_done(operator, started_operation(submit(operator, CREATE, values)))

    assert 'data-state="failed"' in final
    assert "vLLM cannot serve &#x27;Qwen/Qwen2.5-0.5B-Instruct-GGUF&#x27;, a GGUF model" in final


def test_the_default_container_ignores_the_container_fields_it_does_not_use(operator: Client) -> None:
    values = create_form_values(operator, "sdxl", port="not a port", container_args="'unclosed")
    operation = started_operation(submit(operator, CREATE, values))
    assert "custom_image" in operation.payload and operation.payload["custom_image"] is None
