"""Copy as code matches the engine: the route, the `model` and the client each engine takes. The copied code
is run against hubsim, as a person would run it."""

import pytest
from django.urls import reverse

from playground_app.models import QueryMode
from tests.playground.fixtures import GEMMA, QWEN, QWEN_GGUF
from tests.playground.snippet_runs import run_snippet
from tests.playground.sse import events_of

FORM = {"mode": QueryMode.MESSAGES, "text": "Name a colour.", "max_new_tokens": "20", "seed": "42"}
SERVED_NAME_LINE = (
    "MODEL = 'Qwen/Qwen2.5-0.5B-Instruct'  # the name the endpoint serves, as its GET /v1/models lists it"
)
LOOKUP_LINE = 'MODEL = requests.get(API_URL + "/v1/models", headers=HEADERS).json()["data"][0]["id"]'


def code(client, endpoint) -> dict[str, str]:
    answer = client.post(reverse("playground:code"), {**FORM, "endpoint": endpoint.pk})
    return {snippet.key: snippet.code for snippet in answer.context["snippets"]}


def run(source: str, tmp_path) -> str:
    completed = run_snippet(source, tmp_path)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_vllm_code_names_the_served_model_and_each_snippet_runs(deploy, otto, tmp_path) -> None:
    endpoint = deploy("vllm-code", QWEN, engine="vllm")
    snippets = code(otto, endpoint)
    assert list(snippets) == ["requests", "messages", "client", "curl"]
    assert SERVED_NAME_LINE in snippets["messages"] and SERVED_NAME_LINE in snippets["client"]
    assert 'requests.post(API_URL + "/v1/completions"' in snippets["requests"]
    assert "InferenceClient(base_url=API_URL" in snippets["client"]
    assert '"model": "Qwen/Qwen2.5-0.5B-Instruct"' in snippets["curl"]
    assert f"'{endpoint.url}/v1/chat/completions'" in snippets["curl"]
    for key in ("requests", "messages", "client"):
        assert run(snippets[key], tmp_path), key


def test_the_code_of_a_sleeping_endpoint_asks_the_name_itself_and_does_not_wake_it(deploy, otto, hubsim):
    endpoint = deploy("vllm-asleep", QWEN, state="scaledToZero", engine="vllm")
    snippets = code(otto, endpoint)
    assert LOOKUP_LINE in snippets["messages"] and LOOKUP_LINE in snippets["requests"]
    assert "import requests" in snippets["client"] and LOOKUP_LINE in snippets["client"]
    assert '"model": "<the id GET /v1/models lists>"' in snippets["curl"]
    for key in ("requests", "messages", "client"):
        compile(snippets[key], key, "exec")
    assert hubsim.control.request_counts()["by_endpoint"].get("demo/vllm-asleep") is None


def test_the_name_learnt_by_a_send_is_written_without_asking_again(deploy, otto, hubsim) -> None:
    endpoint = deploy("sglang-code", QWEN, engine="sglang")
    events_of(otto.post(reverse("playground:answer"), {**FORM, "endpoint": endpoint.pk}))
    snippets = code(otto, endpoint)
    assert SERVED_NAME_LINE in snippets["messages"]
    asked = [entry for entry in hubsim.control.request_log() if entry["route"].endswith("/v1/models")]
    assert len(asked) == 1  # by the send; the code view used what it learnt


def test_llamacpp_raw_code_applies_the_base_models_template_and_runs(deploy, otto, tmp_path) -> None:
    endpoint = deploy("gguf-code", QWEN_GGUF, engine="llamacpp")
    raw = code(otto, endpoint)["requests"]
    assert "AutoTokenizer.from_pretrained('Qwen/Qwen2.5-0.5B-Instruct', token=" in raw
    assert "# The repository holds GGUF weights, without a tokenizer" in raw
    assert "MODEL = '/repository/qwen2.5-0.5b-instruct-q4_k_m.gguf'" in raw
    assert run(raw, tmp_path)


def test_tgi_raw_code_posts_to_generate_and_runs(deploy, otto, tmp_path) -> None:
    endpoint = deploy("tgi-code", GEMMA, engine="tgi")
    snippets = code(otto, endpoint)
    assert 'requests.post(API_URL + "/generate", headers=HEADERS, json=payload)' in snippets["requests"]
    assert 'print(response.json()["generated_text"])' in snippets["requests"]
    assert "MODEL = 'tgi'  # any name is accepted; this one by convention" in snippets["messages"]
    assert run(snippets["requests"], tmp_path)


@pytest.mark.parametrize("engine", ["custom", "toolkit"])
def test_an_engine_the_console_does_not_know_gets_no_code_but_why(deploy, otto, engine) -> None:
    endpoint = deploy(f"{engine}-code", GEMMA, engine=engine)
    answer = otto.post(reverse("playground:code"), {**FORM, "endpoint": endpoint.pk})
    assert answer.context.get("snippets") is None
    assert "runs a container the playground cannot talk to" in answer.content.decode()
