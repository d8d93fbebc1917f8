"""``model.image`` as the service takes it, through huggingface_hub 2.4's own payload builders
(``create_inference_endpoint(custom_image=...)`` calls ``_build_endpoint_image_payload``;
``update(tensor_parallel_size=...)`` calls ``_set_parallelism_in_image``) and its ``InferenceEndpoint``."""

import pytest
from huggingface_hub._inference_endpoints import _build_endpoint_image_payload, _set_parallelism_in_image
from huggingface_hub.errors import BadRequestError

from tests.hubsim.test_endpoint_payloads import post_create

TGI_URL = "ghcr.io/huggingface/text-generation-inference:3.3.6"
OWN_SERVER = "registry.example.com/team/own-server:1.0"
VLLM_URL = "vllm/vllm-openai:v0.11.0"
TEXT = "text-generation"
QWEN_ON_L4 = {"repository": "Qwen/Qwen2.5-0.5B-Instruct", "instance_type": "nvidia-l4"}


@pytest.mark.parametrize(
    ("custom_image", "repository", "task"),
    [
        ({"url": TGI_URL, "healthRoute": "/health", "port": 80}, "google/gemma-1.1-2b-it", "text-generation"),
        ({"custom": {"url": OWN_SERVER, "port": 8000}}, "gpt2", TEXT),
        (
            {"tgi": {"url": TGI_URL, "maxInputLength": 1024, "maxTotalTokens": 2048}},
            "gpt2",
            "text-generation",
        ),
        ({"vLLM": {"url": VLLM_URL, "port": 8000}}, "gpt2", TEXT),
        ({"sGLang": {"url": "lmsysorg/sglang:v0.5.2", "port": 30000}}, "gpt2", TEXT),
        (
            {"llamacpp": {"url": "ghcr.io/ggml-org/llama.cpp:server", "ctxSize": 4096, "nParallel": 2}},
            "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
            "text-generation",
        ),
        (
            {"tei": {"url": "ghcr.io/huggingface/text-embeddings-inference:1.9", "maxBatchTokens": 16384}},
            "BAAI/bge-small-en-v1.5",
            "feature-extraction",
        ),
    ],
    ids=["flat-custom", "custom", "tgi", "vllm", "sglang", "llamacpp", "tei"],
)
def test_each_image_variant_is_kept_and_runs(running_endpoint, custom_image, repository, task) -> None:
    endpoint = running_endpoint(
        "variant-test", repository=repository, task=task, instance_type="nvidia-l4", custom_image=custom_image
    )
    assert endpoint.raw["model"]["image"] == _build_endpoint_image_payload(custom_image)
    assert (endpoint.status, endpoint.health_route) == ("running", "/health")


def test_a_snake_case_health_route_is_dropped_and_the_default_route_checked(create_endpoint) -> None:
    endpoint = create_endpoint(custom_image={"url": TGI_URL, "health_route": "/healthz"})
    assert endpoint.raw["model"]["image"] == {"custom": {"url": TGI_URL}}
    assert endpoint.health_route == "/health"


def test_the_tutorials_snake_case_health_route_still_runs_tgi(running_endpoint) -> None:
    # TGI answers /health, the route checked once the tutorial's health_route is dropped.
    endpoint = running_endpoint(custom_image={"url": TGI_URL, "health_route": "/health"})
    assert endpoint.status == "running"


def test_a_container_whose_health_route_was_written_in_snake_case_never_gets_ready(
    hubsim, create_endpoint
) -> None:
    endpoint = create_endpoint(
        "own-server", repository="gpt2", custom_image={"url": OWN_SERVER, "health_route": "/ok"}
    )
    hubsim.control.advance(1)
    endpoint.fetch()
    assert endpoint.status == "failed"
    assert "the health check on '/health' never succeeded" in endpoint.raw["status"]["message"]


def test_a_container_with_its_health_route_in_camel_case_runs(running_endpoint) -> None:
    endpoint = running_endpoint(
        "own-server", repository="gpt2", custom_image={"url": OWN_SERVER, "healthRoute": "/ok"}
    )
    assert (endpoint.status, endpoint.health_route) == ("running", "/ok")


def test_tgi_checked_on_a_route_it_does_not_serve_never_gets_ready(hubsim, create_endpoint) -> None:
    endpoint = create_endpoint(custom_image={"tgi": {"url": TGI_URL, "healthRoute": "/healthz"}})
    hubsim.control.advance(1)
    assert endpoint.fetch().status == "failed"


def test_a_field_the_variant_does_not_declare_is_dropped(create_endpoint) -> None:
    # huggingface_hub warns that the API silently drops tensorParallelSize from a tgi image.
    with pytest.warns(UserWarning, match="the API will silently drop it"):
        image = _set_parallelism_in_image({"tgi": {"url": TGI_URL}}, tensor_parallel_size=8)
    endpoint = create_endpoint(custom_image=image)
    assert endpoint.raw["model"]["image"] == {"tgi": {"url": TGI_URL}}


def test_an_image_env_is_dropped(create_endpoint) -> None:
    endpoint = create_endpoint(custom_image={"url": TGI_URL, "env": {"MODEL_ID": "/repository"}})
    assert endpoint.raw["model"]["image"] == {"custom": {"url": TGI_URL}}


def test_an_unknown_variant_is_named_in_the_error(create_endpoint) -> None:
    with pytest.raises(BadRequestError, match=r"model\.image: unknown variant `vllm`, expected one of"):
        create_endpoint(custom_image={"vllm": {"url": VLLM_URL}})


def test_a_container_variant_without_url_is_refused(create_endpoint) -> None:
    with pytest.raises(BadRequestError, match=r"model.image.vLLM: missing field `url`"):
        create_endpoint(custom_image={"vLLM": {"port": 8000}})


def test_registry_credentials_are_shown_redacted(create_endpoint) -> None:
    endpoint = create_endpoint(
        custom_image={"url": OWN_SERVER},
        container_registry_username="bot",
        container_registry_password="s3cret",
    )
    credentials = endpoint.raw["model"]["image"]["custom"]["credentials"]
    assert credentials == {"username": "", "password": None}


def test_a_body_without_image_is_refused(hubsim) -> None:
    response = post_create(hubsim, "no-image", {})
    message = "Failed to parse the request body as JSON: model: missing field `image`"
    assert (response.status_code, response.json()["error"]) == (400, message)


def test_vllm_on_several_gpus_needs_its_parallelism(create_endpoint) -> None:
    with pytest.raises(BadRequestError, match="vLLM on 4 accelerators needs tensorParallelSize"):
        create_endpoint(**QWEN_ON_L4, instance_size="x4", custom_image={"vLLM": {"url": VLLM_URL}})


def test_parallelism_cannot_ask_for_more_accelerators_than_the_instance_has(create_endpoint) -> None:
    image = {"vLLM": {"url": VLLM_URL, "tensorParallelSize": 2, "dataParallelSize": 4}}
    with pytest.raises(BadRequestError, match="needs 8 accelerators"):
        create_endpoint(**QWEN_ON_L4, instance_size="x4", custom_image=image)


def test_the_client_retunes_parallelism_on_the_current_image(running_endpoint) -> None:
    image = {"vLLM": {"url": VLLM_URL, "port": 8000, "tensorParallelSize": 4}}
    endpoint = running_endpoint(**QWEN_ON_L4, instance_size="x4", custom_image=image)
    endpoint.update(tensor_parallel_size=2, data_parallel_size=2)
    assert endpoint.raw["model"]["image"] == {
        "vLLM": {
            "url": VLLM_URL,
            "port": 8000,
            "tensorParallelSize": 2,
            "dataParallelSize": 2,
        }
    }
