"""An endpoint whose image is vLLM, read with the real `openai` client and huggingface_hub's InferenceClient,
and compared with vLLM's sources (vllm/entrypoints/openai: protocol.py's ErrorResponse and ModelCard,
api_server.py, serving_chat.py's stream; vllm/v1/metrics/loggers.py's metric names)."""

import httpx2
import openai
import pytest
from huggingface_hub import InferenceClient
from prometheus_client.parser import text_string_to_metric_families

MODEL = "google/gemma-1.1-2b-it"
MESSAGES = [{"role": "user", "content": "Tell me about gardens."}]


@pytest.fixture
def url(engine_url) -> str:
    return engine_url("vllm")


@pytest.fixture
def client(url) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="hf_demo_token")


def test_the_openai_client_streams_a_chat_with_its_usage(client) -> None:
    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=MESSAGES,
            max_tokens=6,
            seed=3,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"  # the first chunk carries the role
    assert [chunk.choices[0].finish_reason for chunk in chunks[:-1]] == [None] * (len(chunks) - 2) + [
        "length"
    ]
    assert (chunks[-1].choices, chunks[-1].usage.completion_tokens) == ([], 6)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks[:-1])
    whole = client.chat.completions.create(model=MODEL, messages=MESSAGES, max_tokens=6, temperature=0)
    assert text.strip() and whole.choices[0].message.content.strip()


def test_a_whole_chat_names_the_served_model_and_counts_its_tokens(client) -> None:
    answer = client.chat.completions.create(model=MODEL, messages=MESSAGES, max_tokens=5, temperature=0)
    assert (answer.model, answer.object, answer.choices[0].finish_reason) == (
        MODEL,
        "chat.completion",
        "length",
    )
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + 5
    assert answer.id.startswith("chatcmpl-")


def test_a_completion_defaults_to_sixteen_tokens(client) -> None:
    """CompletionRequest.max_tokens defaults to 16, as OpenAI's legacy API."""
    answer = client.completions.create(model=MODEL, prompt="The garden", temperature=0, seed=1)
    assert answer.usage.completion_tokens <= 16 and answer.object == "text_completion"


def test_another_model_name_is_not_found(client) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="tgi", messages=MESSAGES)
    assert caught.value.body == {
        "message": "The model `tgi` does not exist.",
        "type": "NotFoundError",
        "param": "model",
        "code": 404,
    }


def test_a_bad_sampling_parameter_is_a_bad_request_naming_it(url) -> None:
    response = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, "temperature": -1})
    assert (response.status_code, response.json()) == (
        400,
        {
            "error": {
                "message": "temperature must be non-negative, got -1.",
                "type": "BadRequestError",
                "param": "temperature",
                "code": 400,
            }
        },
    )


def test_a_request_too_long_for_the_context_is_refused(url) -> None:
    response = httpx2.post(f"{url}/v1/completions", json={"prompt": "The garden", "max_tokens": 9000})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(
        "'max_tokens' or 'max_completion_tokens' is too large: 9000."
    )


def test_a_stop_string_is_cut_from_the_answer(client) -> None:
    whole = (
        client.completions.create(model=MODEL, prompt="The garden", max_tokens=30, temperature=0)
        .choices[0]
        .text
    )
    stop = whole.split()[3]
    cut = client.completions.create(
        model=MODEL, prompt="The garden", max_tokens=30, temperature=0, stop=[stop]
    )
    assert (cut.choices[0].text, cut.choices[0].finish_reason) == (whole[: whole.index(stop)], "stop")


def test_models_lists_the_served_model(client) -> None:
    (card,) = client.models.list().data
    assert (card.id, card.owned_by) == (MODEL, "vllm")


def test_tokenize_and_detokenize_round_trip(url) -> None:
    tokens = httpx2.post(f"{url}/tokenize", json={"prompt": "The garden grows"}).json()
    assert tokens["count"] == len(tokens["tokens"]) and tokens["max_model_len"] == 8192
    assert httpx2.post(f"{url}/detokenize", json={"tokens": tokens["tokens"][1:]}).json() == {
        "prompt": "The garden grows"
    }


def test_the_inference_client_chats_with_vllm(url) -> None:
    answer = InferenceClient(model=url).chat_completion(MESSAGES, model=MODEL, max_tokens=5, temperature=0)
    assert answer.choices[0].message.content.strip()


def test_metrics_count_requests_and_tokens_under_vllms_names(client, url) -> None:
    client.chat.completions.create(model=MODEL, messages=MESSAGES, max_tokens=5, temperature=0)
    samples = {
        (sample.name, sample.labels.get("finished_reason")): sample.value
        for family in text_string_to_metric_families(httpx2.get(f"{url}/metrics").text)
        for sample in family.samples
        if sample.labels.get("model_name") == MODEL
    }
    assert samples[("vllm:request_success_total", "length")] == 1
    assert samples[("vllm:generation_tokens_total", None)] == 5
    assert samples[("vllm:num_requests_running", None)] == 0
    assert samples[("vllm:prompt_tokens_total", None)] > 0
    assert samples[("vllm:e2e_request_latency_seconds_count", None)] == 1
