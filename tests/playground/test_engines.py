"""The playground on each engine, against hubsim over HTTP through a recording proxy: every mode the engine
serves sends that engine's route and payload, with the `model` it accepts, and answers.

The served name of vLLM, SGLang and llama.cpp is asked once per endpoint (GET /v1/models) and is what that
route lists; TGI takes any name, and is sent "tgi".
"""

import httpx2
import pytest
from django.urls import reverse
from huggingface_hub import HfApi
from transformers import AutoTokenizer

from endpoints_app.models import Endpoint
from endpoints_app.services import sync
from playground_app.models import QueryMode
from tests.fixtures.team import DEMO_TOKEN
from tests.playground.fixtures import GEMMA, QWEN, QWEN_GGUF, through_proxy
from tests.playground.sse import answer_text, events_of, last
from tests.waiting import wait_until

QUESTION = "Name a colour."
FORM = {"temperature": "0.2", "max_new_tokens": "20", "seed": "42", "text": QUESTION}
SAMPLING = {"temperature": 0.2, "max_tokens": 20, "seed": 42}
STREAMED = {"stream": True, "stream_options": {"include_usage": True}}
REPOSITORIES = {"tgi": GEMMA, "vllm": QWEN, "sglang": QWEN, "llamacpp": QWEN_GGUF}
# Whose chat template the console applies in raw mode: a GGUF repository's is its model card's base_model's.
TEMPLATES = {"tgi": GEMMA, "vllm": QWEN, "sglang": QWEN, "llamacpp": QWEN}
OPENAI_ENGINES = ["vllm", "sglang", "llamacpp"]


def ask(client, endpoint: Endpoint, mode: str, **fields: str) -> list:
    form = {**FORM, "endpoint": endpoint.pk, "mode": mode, **fields}
    return events_of(client.post(reverse("playground:answer"), form))


def served_name(endpoint: Endpoint) -> str:
    """What the endpoint's /v1/models lists, asked straight (not through the console)."""
    answer = httpx2.get(f"{endpoint.url}/v1/models", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    return answer.json()["data"][0]["id"]


def templated(engine: str) -> str:
    tokenizer = AutoTokenizer.from_pretrained(TEMPLATES[engine], token=DEMO_TOKEN)
    messages = [{"role": "user", "content": QUESTION}]
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


@pytest.fixture
def engine_endpoint(deploy, proxy):
    """A running endpoint of the engine on hubsim, mirrored, its URL pointing at the recording proxy."""

    def make(engine: str) -> Endpoint:
        endpoint = deploy(f"{engine}-chat", REPOSITORIES[engine], engine=engine)
        assert endpoint.engine == engine
        return through_proxy(endpoint, proxy)

    return make


@pytest.mark.parametrize("engine", OPENAI_ENGINES)
def test_the_messages_api_sends_the_served_name_that_v1_models_lists(engine, engine_endpoint, otto, proxy):
    endpoint = engine_endpoint(engine)
    events = ask(otto, endpoint, QueryMode.MESSAGES)
    assert proxy.routes() == ["GET /v1/models", "POST /v1/chat/completions"]
    assert proxy.bodies() == [
        {
            "model": served_name(endpoint),
            "messages": [{"role": "user", "content": QUESTION}],
            **SAMPLING,
            **STREAMED,
        }
    ]
    assert answer_text(events).strip()
    assert last(events, "done")["stats"]["output_tokens"] > 0


def test_vllm_is_asked_the_name_it_serves_once_not_per_message(engine_endpoint, otto, proxy) -> None:
    endpoint = engine_endpoint("vllm")
    for mode in (QueryMode.MESSAGES, QueryMode.RAW, QueryMode.CLIENT, QueryMode.MESSAGES):
        assert last(ask(otto, endpoint, mode), "done")
    assert proxy.routes() == [
        "GET /v1/models",
        "POST /v1/chat/completions",
        "POST /v1/completions",
        "POST /v1/chat/completions",
        "POST /v1/chat/completions",
    ]
    assert {body["model"] for body in proxy.bodies()} == {"Qwen/Qwen2.5-0.5B-Instruct"}


def test_the_tgi_messages_api_sends_tgi_and_asks_no_name(engine_endpoint, otto, proxy) -> None:
    endpoint = engine_endpoint("tgi")
    events = ask(otto, endpoint, QueryMode.MESSAGES)
    assert proxy.routes() == ["POST /v1/chat/completions"]
    assert proxy.bodies()[0]["model"] == "tgi"
    assert answer_text(events).strip()


@pytest.mark.parametrize("engine", OPENAI_ENGINES)
def test_raw_mode_sends_the_console_templated_prompt_to_completions(engine, engine_endpoint, otto, proxy):
    endpoint = engine_endpoint(engine)
    events = ask(otto, endpoint, QueryMode.RAW)
    assert proxy.routes() == ["GET /v1/models", "POST /v1/completions"]
    assert proxy.bodies() == [
        {"model": served_name(endpoint), "prompt": templated(engine), **SAMPLING, **STREAMED}
    ]
    done = last(events, "done")
    assert answer_text(events).strip() and done["stats"]["output_tokens"] > 0
    assert done["stats"]["input_tokens"] > 0  # the usage chunk include_usage asks for


def test_raw_mode_on_tgi_streams_from_generate_stream(engine_endpoint, otto, proxy) -> None:
    endpoint = engine_endpoint("tgi")
    events = ask(otto, endpoint, QueryMode.RAW)
    assert proxy.routes() == ["POST /generate_stream"]
    (body,) = proxy.bodies()
    assert body["inputs"] == templated("tgi")
    assert (body["parameters"]["details"], last(events, "done")["stats"]["input_tokens"] > 0) == (True, True)


@pytest.mark.parametrize("engine", [*OPENAI_ENGINES, "tgi"])
def test_inference_client_sends_the_name_the_engine_accepts(engine, engine_endpoint, otto, proxy) -> None:
    endpoint = engine_endpoint(engine)
    events = ask(otto, endpoint, QueryMode.CLIENT)
    (body,) = proxy.bodies("/v1/chat/completions")
    assert body["model"] == ("tgi" if engine == "tgi" else served_name(endpoint))
    assert body["messages"] == [{"role": "user", "content": QUESTION}]
    assert answer_text(events).strip()


def test_the_name_is_asked_again_once_the_endpoint_serves_another_model(deploy, team, otto, hubsim) -> None:
    endpoint = deploy("vllm-updated", QWEN, engine="vllm")
    assert last(ask(otto, endpoint, QueryMode.MESSAGES), "done")
    HfApi(endpoint=hubsim.url, token=DEMO_TOKEN).update_inference_endpoint(
        "vllm-updated", namespace="demo", repository=GEMMA
    )

    def updated() -> Endpoint | None:
        sync.sync_namespace(team.namespace)
        endpoint.refresh_from_db()
        return endpoint if (endpoint.repository, endpoint.status) == (GEMMA, "running") else None

    wait_until(updated, what="the endpoint to serve Gemma")
    events = ask(otto, endpoint, QueryMode.MESSAGES)
    assert answer_text(events).strip()
    asked = [entry for entry in hubsim.control.request_log() if entry["route"].endswith("/v1/models")]
    assert len(asked) == 2


def test_the_composer_offers_each_engine_its_modes(deploy, otto) -> None:
    vllm = deploy("vllm-modes", QWEN, engine="vllm")
    tgi = deploy("tgi-modes", GEMMA, engine="tgi")
    page = otto.get(reverse("playground:chat")).content.decode()
    assert (
        'data-engine="vLLM" data-modes="messages raw client" '
        'data-raw-label="Raw: templated prompt to /v1/completions" data-unsupported=""'
    ) in page.split(f'value="{vllm.pk}"')[1]
    assert 'data-raw-label="Raw: templated prompt to /generate"' in page.split(f'value="{tgi.pk}"')[1]


def test_the_preview_of_a_gguf_endpoint_applies_its_base_models_template(deploy, otto) -> None:
    endpoint = deploy("gguf-preview", QWEN_GGUF, engine="llamacpp")
    form = {"endpoint": endpoint.pk, "mode": QueryMode.RAW, "text": QUESTION}
    html = otto.post(reverse("playground:preview"), form).content.decode()
    assert (
        f"tokens after the chat template of {QWEN} (what raw mode sends to <code>/v1/completions</code>)"
        in html
    )
    assert f"{QWEN_GGUF} holds GGUF weights: its model card&#x27;s base_model is {QWEN}." in html
    assert templated("llamacpp").replace("<", "&lt;").replace(">", "&gt;") in html
