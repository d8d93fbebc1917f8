"""Text generation on a TGI endpoint: parameters, formats, the chat template applied server-side."""

import httpx2
import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.errors import ValidationError

from hubsim import models
from tests.hubsim.sse import stream_events

PROMPT = "The garden"
MESSAGES = [{"role": "user", "content": "Please write a short poem about open source for me."}]


@pytest.fixture
def url(running_endpoint) -> str:
    return running_endpoint(type="public").url


def generate(url: str, **parameters) -> dict:
    response = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": parameters}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_the_same_seed_gives_the_same_text(url: str) -> None:
    first = generate(url, max_new_tokens=30, temperature=0.8, seed=7)["generated_text"]
    assert generate(url, max_new_tokens=30, temperature=0.8, seed=7)["generated_text"] == first


def test_a_sampled_generation_reports_its_seed(url: str) -> None:
    assert generate(url, max_new_tokens=5, temperature=0.8, seed=7, details=True)["details"]["seed"] == 7


def test_max_new_tokens_bounds_the_generation(url: str) -> None:
    details = generate(url, max_new_tokens=3, details=True)["details"]
    assert (details["generated_tokens"], details["finish_reason"]) == (3, "length")


def test_a_stop_sequence_ends_the_generation_with_it(url: str) -> None:
    greedy = generate(url, max_new_tokens=40)["generated_text"]
    stop = greedy.split()[3]
    answer = generate(url, max_new_tokens=40, stop=[stop], details=True)
    assert answer["generated_text"].endswith(stop)
    assert answer["details"]["finish_reason"] == "stop_sequence"


def test_return_full_text_prepends_the_prompt(url: str) -> None:
    assert generate(url, max_new_tokens=5, return_full_text=True)["generated_text"].startswith(PROMPT)


def test_without_details_the_answer_has_only_the_text(url: str) -> None:
    assert list(generate(url, max_new_tokens=5)) == ["generated_text"]


def test_decoder_input_details_lists_the_prompt_tokens(url: str) -> None:
    details = generate(url, max_new_tokens=2, details=True, decoder_input_details=True)["details"]
    assert "".join(token["text"] for token in details["prefill"]) == PROMPT


def test_a_negative_temperature_answers_422_validation(url: str) -> None:
    response = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"temperature": -1}})
    assert (response.status_code, response.json()) == (
        422,
        {
            "error": "Input validation error: `temperature` must be strictly positive",
            "error_type": "validation",
        },
    )


def test_too_many_stop_sequences_answer_422(url: str) -> None:
    response = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"stop": list("abcde")}})
    assert (
        response.json()["error"] == "Input validation error: `stop` supports up to 4 stop sequences. Given: 5"
    )


def test_generate_stream_writes_data_lines_with_a_space(url: str) -> None:
    """TGI 3.3.7 builds on axum 0.7, whose sse::Event writes "data: " (axum/src/response/sse.rs)."""
    _, lines = stream_events(
        f"{url}/generate_stream", {"inputs": PROMPT, "parameters": {"max_new_tokens": 3}}
    )
    assert all(line.startswith("data: {") for line in lines)


def test_the_last_stream_event_carries_the_whole_text(url: str) -> None:
    events, _ = stream_events(
        f"{url}/generate_stream", {"inputs": PROMPT, "parameters": {"max_new_tokens": 12, "details": True}}
    )
    tokens_text = "".join(event["token"]["text"] for event in events if not event["token"]["special"])
    assert events[-1]["generated_text"] == tokens_text
    assert events[-1]["details"]["generated_tokens"] == len(events)


def test_chat_streams_write_data_lines_with_a_space_and_end_with_done(url: str) -> None:
    _, lines = stream_events(
        f"{url}/v1/chat/completions", {"messages": MESSAGES, "max_tokens": 3, "stream": True}
    )
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"


def test_chat_applies_the_repository_chat_template(url: str) -> None:
    answer = httpx2.post(f"{url}/chat_tokenize", json={"messages": MESSAGES}).json()
    assert answer["templated_text"] == models.render_chat("google/gemma-1.1-2b-it", MESSAGES)


def test_chat_usage_counts_the_templated_prompt(url: str) -> None:
    templated = httpx2.post(f"{url}/chat_tokenize", json={"messages": MESSAGES}).json()["tokenize_response"]
    answer = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, "max_tokens": 10}).json()
    usage = answer["usage"]
    assert usage["prompt_tokens"] == len(templated)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_a_model_without_chat_template_refuses_chat(running_endpoint) -> None:
    """infer/mod.rs: no template is an InferError::TemplateError ("Template error: ...", template_error)."""
    url = running_endpoint("gpt2-test", repository="gpt2", type="public").url
    response = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES})
    assert response.status_code == 422
    assert response.json()["error"].startswith("Template error:")
    assert response.json()["error_type"] == "template_error"


def test_streamed_and_whole_text_generation_agree(url: str) -> None:
    """InferenceClient posts to the URL's root: TGI's compat route, which returns the prompt too when the
    model's pipeline is text-generation (server.rs compat_return_full_text); the stream sends new tokens."""
    client = InferenceClient(model=url)
    whole = client.text_generation(PROMPT, max_new_tokens=15, seed=3, temperature=0.5)
    streamed = "".join(
        client.text_generation(PROMPT, max_new_tokens=15, seed=3, temperature=0.5, stream=True)
    )
    assert whole == PROMPT + streamed


def test_the_inference_client_shows_validation_errors(url: str) -> None:
    with pytest.raises(ValidationError, match="`top_k` must be strictly positive"):
        InferenceClient(model=url).text_generation(PROMPT, top_k=0)


def test_completions_answer_one_choice_per_prompt(url: str) -> None:
    answer = httpx2.post(f"{url}/v1/completions", json={"prompt": ["One", "Two"], "max_tokens": 3}).json()
    assert [choice["index"] for choice in answer["choices"]] == [0, 1]


def test_v1_models_lists_the_repository(url: str) -> None:
    """server.rs openai_get_model_info: a ModelsInfo list, created 0, owned by the model id itself."""
    assert httpx2.get(f"{url}/v1/models").json() == {
        "object": "list",
        "data": [
            {
                "id": "google/gemma-1.1-2b-it",
                "object": "model",
                "created": 0,
                "owned_by": "google/gemma-1.1-2b-it",
            }
        ],
    }


def test_metrics_count_successes_and_failures(url: str) -> None:
    generate(url, max_new_tokens=2)
    httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"temperature": -1}})
    lines = httpx2.get(f"{url}/metrics").text.splitlines()
    assert {
        "tgi_request_count 2",
        "tgi_request_success 1",
        'tgi_request_failure{err="validation"} 1',
    } <= set(lines)
