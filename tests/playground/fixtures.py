"""Playground fixtures (a pytest plugin, so browser tests use them too): endpoints deployed on hubsim and
mirrored, logged-in clients, a recording proxy."""

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from endpoints_app.models import Endpoint
from endpoints_app.services import sync
from playground_app.chat_templates import tokenizers
from playground_app.context_limits import model_contexts
from tests.fixtures.team import Team
from tests.playground.recording_proxy import RecordingProxy

GEMMA = "google/gemma-1.1-2b-it"
QWEN = "Qwen/Qwen2.5-0.5B-Instruct"
QWEN_GGUF = "Qwen/Qwen2.5-0.5B-Instruct-GGUF"
GPT2 = "gpt2"
IDEFICS = "HuggingFaceM4/idefics2-8b-chatty"
SDXL = "stabilityai/stable-diffusion-xl-base-1.0"
BGE = "BAAI/bge-small-en-v1.5"
TASKS = {IDEFICS: "image-text-to-text", SDXL: "text-to-image", BGE: "feature-extraction"}
# Text models run on TGI, as the tutorial deploys them; the default image is the Inference Toolkit, which
# serves neither the messages API nor streams (hubsim/README.md, "The inference servers").
TGI_IMAGE = {
    "url": "ghcr.io/huggingface/text-generation-inference:latest",
    "env": {"MODEL_ID": "/repository"},
}
# `model.image` of each engine, as huggingface_hub forwards a variant-keyed custom_image.
ENGINE_IMAGES: dict[str, dict | None] = {
    "tgi": TGI_IMAGE,
    "vllm": {"vLLM": {"url": "vllm/vllm-openai:v0.11.0"}},
    "sglang": {"sGLang": {"url": "lmsysorg/sglang:v0.5.2"}},
    "llamacpp": {"llamacpp": {"url": "ghcr.io/ggml-org/llama.cpp:server-cuda"}},
    "tei": {"tei": {"url": "ghcr.io/huggingface/text-embeddings-inference:1.9"}},
    "custom": {"url": "ghcr.io/acme/chat-server:1.2", "healthRoute": "/health"},  # no engine it names
    "toolkit": None,  # the default container: huggingface_hub sends {"huggingface": {}}
}

Deploy = Callable[..., Endpoint]


@pytest.fixture
def deploy(team: Team, hubsim) -> Deploy:
    """Creates an endpoint on hubsim with the real client (hubsim.testing's helper), on the engine named (a
    key of ENGINE_IMAGES; text-to-image on the default container) and hardware, puts it in `state`, and
    mirrors it (with its price from the provider list); `options` go to create_inference_endpoint as they are
    (`container_args`, say)."""
    sync.refresh_hardware(team.namespace)

    def deploy_endpoint(
        name: str,
        repository: str = GEMMA,
        state: str = "running",
        engine: str = "tgi",
        endpoint_type: str = "authenticated",
        instance_type: str = "nvidia-a10g",
        **options: Any,
    ) -> Endpoint:
        hubsim.create_endpoint(
            name,
            repository=repository,
            task=TASKS.get(repository, "text-generation"),
            custom_image=None if repository == SDXL else ENGINE_IMAGES[engine],
            type=endpoint_type,
            instance_type=instance_type,
            **options,
        )
        hubsim.control.set_state("demo", name, state)
        sync.sync_namespace(team.namespace)
        return Endpoint.objects.get(namespace=team.namespace, name=name)

    return deploy_endpoint


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def otto(team: Team) -> Client:
    """The operator, logged in."""
    return client_of(team.operator)


@pytest.fixture
def proxy(hubsim) -> Iterator[RecordingProxy]:
    with RecordingProxy(hubsim.url).running() as recording:
        yield recording


def through_proxy(endpoint: Endpoint, proxy: RecordingProxy) -> Endpoint:
    """Points the mirrored URL at the recording proxy (which relays to hubsim at the same path)."""
    endpoint.url = proxy.url + urlsplit(endpoint.url).path
    endpoint.save(update_fields=["url"])
    return endpoint


@pytest.fixture
def fresh_tokenizers() -> Iterator[None]:
    """This process has not loaded any tokenizer, nor read any model's context length, yet."""
    tokenizers.clear()
    model_contexts.clear()
    yield
    tokenizers.clear()
    model_contexts.clear()
