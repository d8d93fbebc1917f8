"""Playground fixtures (a pytest plugin, so browser tests use them too): endpoints deployed on hubsim and
mirrored, logged-in clients, a recording proxy."""

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from huggingface_hub import HfApi

from endpoints_app.models import Endpoint
from endpoints_app.services import sync
from playground_app.chat_templates import tokenizers
from tests.fixtures.team import DEMO_TOKEN, Team
from tests.playground.recording_proxy import RecordingProxy

GEMMA = "google/gemma-1.1-2b-it"
QWEN = "Qwen/Qwen2.5-0.5B-Instruct"
GPT2 = "gpt2"
IDEFICS = "HuggingFaceM4/idefics2-8b-chatty"
SDXL = "stabilityai/stable-diffusion-xl-base-1.0"
TASKS = {IDEFICS: "image-text-to-text", SDXL: "text-to-image"}
# Text models run on TGI, as the tutorial deploys them; the default image is the Inference Toolkit, which
# serves neither the messages API nor streams (hubsim/README.md, "The inference servers").
TGI_IMAGE = {
    "url": "ghcr.io/huggingface/text-generation-inference:latest",
    "env": {"MODEL_ID": "/repository"},
}

Deploy = Callable[..., Endpoint]


@pytest.fixture
def deploy(team: Team, hubsim) -> Deploy:
    """Creates an endpoint on hubsim with the real client, puts it in `state`, and mirrors it."""
    sync.refresh_hardware(team.namespace)

    def deploy_endpoint(name: str, repository: str = GEMMA, state: str = "running") -> Endpoint:
        HfApi(endpoint=hubsim.url, token=DEMO_TOKEN).create_inference_endpoint(
            name,
            namespace="demo",
            repository=repository,
            framework="pytorch",
            task=TASKS.get(repository, "text-generation"),
            accelerator="gpu",
            vendor="aws",
            region="us-east-1",
            instance_type="nvidia-a10g",
            instance_size="x1",
            min_replica=0,
            type="authenticated",
            custom_image=None if repository == SDXL else TGI_IMAGE,
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
    """This process has not loaded any tokenizer yet."""
    tokenizers.clear()
    yield
    tokenizers.clear()
