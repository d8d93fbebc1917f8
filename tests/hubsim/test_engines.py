"""Which engine an endpoint runs, from the model.image huggingface_hub sends, and how each engine answers a
path it does not serve."""

import httpx2
import pytest
from huggingface_hub._inference_endpoints import _build_endpoint_image_payload

from hubsim.inference.engines import LLAMACPP, SGLANG, TEI, TGI, TOOLKIT, UNKNOWN, VLLM, engine_of


def spec_with(custom_image: dict | None) -> dict:
    """A spec whose model.image is what huggingface_hub 2.4's create_inference_endpoint sends."""
    image = {"huggingface": {}} if custom_image is None else _build_endpoint_image_payload(custom_image)
    return {"model": {"image": image}}


@pytest.mark.parametrize(
    ("custom_image", "engine"),
    [
        (None, TOOLKIT),
        ({"tgi": {"url": "ghcr.io/huggingface/text-generation-inference:3.3.6"}}, TGI),
        ({"vLLM": {"url": "vllm/vllm-openai:v0.11.0", "port": 8000}}, VLLM),
        ({"sGLang": {"url": "lmsysorg/sglang:latest"}}, SGLANG),
        ({"llamacpp": {"url": "ghcr.io/ggml-org/llama.cpp:server-cuda"}}, LLAMACPP),
        ({"tei": {"url": "ghcr.io/huggingface/text-embeddings-inference:1.9"}}, TEI),
        ({"url": "ghcr.io/huggingface/text-generation-inference:latest", "healthRoute": "/health"}, TGI),
        ({"url": "vllm/vllm-openai:latest"}, VLLM),
        ({"url": "lmsysorg/sglang:v0.5.0-cu126"}, SGLANG),
        ({"url": "ghcr.io/ggml-org/llama.cpp:server"}, LLAMACPP),
        ({"url": "ghcr.io/huggingface/text-embeddings-inference:cpu-1.9"}, TEI),
        ({"url": "tensorflow/serving:2.7.3"}, UNKNOWN),
        ({"hfServe": {"url": "hf/serve"}}, UNKNOWN),
    ],
)
def test_the_engine_follows_the_image_variant_or_the_custom_image_name(custom_image, engine: str) -> None:
    assert engine_of(spec_with(custom_image)) == engine


@pytest.mark.parametrize(
    ("engine", "status", "body"),
    [
        ("tgi", 404, b""),  # axum's fallback
        ("vllm", 404, b'{"detail":"Not Found"}'),  # FastAPI
        ("sglang", 404, b'{"detail":"Not Found"}'),
        ("llamacpp", 404, b'{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}'),
        ("tei", 404, b""),
        ("toolkit", 404, b"Not Found"),  # Starlette
    ],
)
def test_each_engine_answers_an_unknown_path_its_own_way(
    engine_url, engine: str, status: int, body: bytes
) -> None:
    response = httpx2.get(f"{engine_url(engine)}/no-such-route")
    assert (response.status_code, response.content) == (status, body)


@pytest.mark.parametrize("engine", ["vllm", "sglang", "llamacpp", "tei", "toolkit"])
def test_only_tgi_serves_generate(engine_url, engine: str) -> None:
    response = httpx2.post(f"{engine_url(engine)}/generate_stream", json={"inputs": "hi"})
    assert response.status_code == 404


@pytest.mark.parametrize("engine", list(("tgi", "vllm", "sglang", "llamacpp", "tei", "toolkit")))
def test_every_engine_answers_its_health_route(engine_url, engine: str) -> None:
    assert httpx2.get(f"{engine_url(engine)}/health").status_code == 200


def test_a_container_hubsim_cannot_emulate_answers_only_its_health_route(running_endpoint) -> None:
    url = running_endpoint(
        "custom-test", custom_image={"url": "tensorflow/serving:2.7.3", "healthRoute": "/v1/models/ok"}
    ).url
    headers = {"Authorization": "Bearer hf_demo_token"}
    assert httpx2.get(f"{url}/v1/models/ok", headers=headers).status_code == 200
    assert httpx2.post(f"{url}/v1/chat/completions", headers=headers, json={}).status_code == 404
