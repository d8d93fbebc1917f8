"""hubsim's test fixtures, on top of the session's hubsim of tests/fixtures/hubsim.py."""

from collections.abc import Callable
from typing import Any

import huggingface_hub
import pytest
from huggingface_hub import HfApi, InferenceEndpoint

from hubsim.testing import HubsimServer

DEMO_TOKEN = "hf_demo_token"
VIEWER_TOKEN = "hf_viewer_token"
TGI_IMAGE = {
    "health_route": "/health",
    "env": {"MODEL_ID": "/repository"},
    "url": "ghcr.io/huggingface/text-generation-inference:latest",
}


@pytest.fixture
def hubsim(hubsim: HubsimServer, monkeypatch: pytest.MonkeyPatch) -> HubsimServer:
    """The session's hubsim (tests/fixtures/hubsim.py), reset, with huggingface_hub's Endpoints API on it."""
    monkeypatch.setattr(huggingface_hub.constants, "INFERENCE_ENDPOINTS_ENDPOINT", hubsim.api_url)
    return hubsim


@pytest.fixture
def logged_in(hubsim: HubsimServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``huggingface_hub.interpreter_login()`` leaves behind: a token that every call picks up.

    (An InferenceEndpoint returned by ``HfApi(token=...)`` forgets that token: its fetch/pause/... calls use
    the logged-in one.)
    """
    monkeypatch.setenv("HF_TOKEN", DEMO_TOKEN)


@pytest.fixture
def api(hubsim: HubsimServer, logged_in: None) -> HfApi:
    return HfApi(endpoint=hubsim.url, token=DEMO_TOKEN)


@pytest.fixture
def create_endpoint(api: HfApi) -> Callable[..., InferenceEndpoint]:
    """Creates an endpoint through the real client; keyword arguments override the Gemma-on-TGI defaults."""

    def create(name: str = "gemma-test", **overrides: Any) -> InferenceEndpoint:
        arguments = {
            "repository": "google/gemma-1.1-2b-it",
            "namespace": "demo",
            "framework": "pytorch",
            "task": "text-generation",
            "accelerator": "gpu",
            "vendor": "aws",
            "region": "us-east-1",
            "instance_size": "x1",
            "instance_type": "nvidia-a10g",
            "min_replica": 1,
            "max_replica": 1,
            "type": "authenticated",
            "custom_image": TGI_IMAGE,
            **overrides,
        }
        return api.create_inference_endpoint(name, **arguments)

    return create


@pytest.fixture
def running_endpoint(
    hubsim: HubsimServer, create_endpoint: Callable[..., InferenceEndpoint]
) -> Callable[..., InferenceEndpoint]:
    """Creates an endpoint and moves hubsim's clock until it runs."""

    def create_running(name: str = "gemma-test", **overrides: Any) -> InferenceEndpoint:
        endpoint = create_endpoint(name, **overrides)
        hubsim.control.advance(1)
        return endpoint.fetch()

    return create_running


# model.image of each engine, as huggingface_hub forwards a variant-keyed custom_image.
ENGINE_IMAGES = {
    "tgi": {"tgi": {"url": "ghcr.io/huggingface/text-generation-inference:3.3.6"}},
    "vllm": {"vLLM": {"url": "vllm/vllm-openai:v0.11.0"}},
    "sglang": {"sGLang": {"url": "lmsysorg/sglang:latest"}},
    "llamacpp": {"llamacpp": {"url": "ghcr.io/ggml-org/llama.cpp:server-cuda"}},
    "tei": {"tei": {"url": "ghcr.io/huggingface/text-embeddings-inference:1.9"}},
    "toolkit": None,  # huggingface_hub sends {"huggingface": {}}
}
ENGINE_REPOS = {
    "tgi": "google/gemma-1.1-2b-it",
    "vllm": "google/gemma-1.1-2b-it",
    "sglang": "Qwen/Qwen2.5-0.5B-Instruct",
    "llamacpp": "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
    "tei": "BAAI/bge-small-en-v1.5",
    "toolkit": "stabilityai/stable-diffusion-xl-base-1.0",
}
ENGINE_TASKS = {"tei": "feature-extraction", "toolkit": "text-to-image"}


@pytest.fixture
def engine_url(running_endpoint) -> Callable[[str], str]:
    """The URL of a running public endpoint whose container runs the engine named (a key of ENGINE_IMAGES)."""

    def create(engine: str, **overrides: Any) -> str:
        arguments = {
            "repository": ENGINE_REPOS[engine],
            "task": ENGINE_TASKS.get(engine, "text-generation"),
            "custom_image": ENGINE_IMAGES[engine],
            "type": "public",
            **overrides,
        }
        return running_endpoint(f"{engine}-endpoint", **arguments).url

    return create
