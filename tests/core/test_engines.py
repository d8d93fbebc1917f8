"""The console reads an endpoint's engine from `model.image` as huggingface_hub builds it, and mirrors it."""

import pytest
from huggingface_hub._inference_endpoints import _build_endpoint_image_payload

from endpoints_app.engines import Engine, engine_of_image, traits
from endpoints_app.models import Endpoint
from endpoints_app.services import sync
from tests.fixtures.team import Team


@pytest.mark.parametrize(
    ("image", "engine"),
    [
        ({"vLLM": {"url": "vllm/vllm-openai:v0.11.0"}}, Engine.VLLM),
        ({"sGLang": {"url": "lmsysorg/sglang:latest"}}, Engine.SGLANG),
        ({"llamacpp": {"url": "ghcr.io/ggml-org/llama.cpp:server-cuda"}}, Engine.LLAMACPP),
        ({"tei": {"url": "ghcr.io/huggingface/text-embeddings-inference:1.9"}}, Engine.TEI),
        ({"tgi": {"url": "ghcr.io/huggingface/text-generation-inference:3.3.6"}}, Engine.TGI),
        ({"huggingface": {}}, Engine.TOOLKIT),
        # A flat container dict is wrapped in `custom`: the tutorial's TGI, and a container of one's own.
        ({"url": "ghcr.io/huggingface/text-generation-inference:latest"}, Engine.TGI),
        ({"url": "registry.example.org/team/my-server:1"}, Engine.UNKNOWN),
    ],
)
def test_the_engine_is_the_variant_of_the_image_the_client_sends(image: dict, engine: Engine) -> None:
    assert engine_of_image(_build_endpoint_image_payload(image)) == engine


def test_an_endpoint_without_an_image_runs_the_default_container() -> None:
    assert engine_of_image(None) == Engine.TOOLKIT


def test_an_engine_value_the_console_does_not_know_has_no_traits() -> None:
    assert traits("someday-engine") == traits(Engine.UNKNOWN)
    assert not traits("someday-engine").chat


def test_sync_mirrors_each_endpoints_engine(team: Team, hubsim) -> None:
    hubsim.create_endpoint("tutorial-tgi")  # the tutorial's custom TGI container
    hubsim.create_endpoint(
        "qwen-vllm",
        repository="Qwen/Qwen2.5-0.5B-Instruct",
        custom_image={"vLLM": {"url": "vllm/vllm-openai:v0.11.0"}},
    )

    sync.sync_namespace(team.namespace)

    engines = dict(Endpoint.objects.values_list("name", "engine"))
    assert engines == {"tutorial-tgi": Engine.TGI, "qwen-vllm": Engine.VLLM}
