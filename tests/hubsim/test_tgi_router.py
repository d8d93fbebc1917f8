"""hubsim's TGI against the router of text-generation-inference 3.3.7 (router/src/server.rs, lib.rs,
validation.rs, infer/mod.rs) and its OpenAPI document: streamed errors, finish reasons, the model echoed,
refusals, top tokens and headers."""

import json

import httpx2
import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.errors import ValidationError

from hubsim.inference.tgi_server import TGI_OPENAPI
from tests.hubsim.openapi_schemas import OpenApiSchemas
from tests.hubsim.sse import stream_events

PROMPT = "The garden"
MESSAGES = [{"role": "user", "content": "Tell me about gardens."}]


@pytest.fixture
def url(engine_url) -> str:
    return engine_url("tgi")


@pytest.fixture(scope="module")
def schemas() -> OpenApiSchemas:
    return OpenApiSchemas(json.loads(TGI_OPENAPI.read_text()))


def raw_stream(url: str, body: dict) -> tuple[int, list[str]]:
    """The status and every data line of a stream."""
    with httpx2.stream("POST", url, json=body, timeout=30) as response:
        return response.status_code, [line for line in response.iter_lines() if line.startswith("data:")]


def test_a_streamed_generate_refuses_a_bad_parameter_in_one_event_of_an_http_200(url, schemas) -> None:
    status, lines = raw_stream(
        f"{url}/generate_stream", {"inputs": PROMPT, "parameters": {"temperature": -1}}
    )
    event = json.loads(lines[0].removeprefix("data: "))
    assert (status, len(lines)) == (200, 1)
    assert event == {
        "error": "Input validation error: `temperature` must be strictly positive",
        "error_type": "validation",
    }
    assert schemas.errors("ErrorResponse", event) == []


def test_a_streamed_chat_refuses_a_bad_parameter_in_an_openai_error_event_then_done(url) -> None:
    status, lines = raw_stream(
        f"{url}/v1/chat/completions", {"messages": MESSAGES, "stream": True, "top_p": 1.5}
    )
    assert (status, lines[-1]) == (200, "data: [DONE]")
    assert json.loads(lines[0].removeprefix("data: ")) == {
        "error": {
            "message": "Input validation error: `top_p` must be > 0.0 and < 1.0",
            "http_status_code": 422,
        }
    }


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        ({"best_of": 2, "do_sample": True}, "`best_of` != 1 is not supported when streaming tokens"),
        (
            {"decoder_input_details": True},
            "`decoder_input_details` == true is not supported when streaming tokens",
        ),
    ],
)
def test_a_stream_refuses_best_of_and_decoder_input_details(url, parameter: dict, message: str) -> None:
    events, _ = stream_events(f"{url}/generate_stream", {"inputs": PROMPT, "parameters": parameter})
    assert events == [{"error": f"Input validation error: {message}", "error_type": "validation"}]


def test_an_unreadable_body_is_axums_plain_text_rejection(url) -> None:
    response = httpx2.post(f"{url}/generate", json={"parameters": {}})
    assert (response.status_code, response.headers["content-type"]) == (422, "text/plain; charset=utf-8")
    assert response.text.startswith(
        "Failed to deserialize the JSON body into the target type: missing field `inputs`"
    )


def test_stream_events_count_from_one(url) -> None:
    events, _ = stream_events(
        f"{url}/generate_stream", {"inputs": PROMPT, "parameters": {"max_new_tokens": 3}}
    )
    assert [event["index"] for event in events] == [1, 2, 3]


def test_a_stop_sequence_is_named_stop_sequence_on_generate_and_on_chat(url) -> None:
    greedy = {"temperature": 0, "max_tokens": 40}
    text = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, **greedy}).json()
    stop = text["choices"][0]["message"]["content"].split()[2]
    chat = httpx2.post(
        f"{url}/v1/chat/completions", json={"messages": MESSAGES, **greedy, "stop": [stop]}
    ).json()
    # FinishReason::format(true) turns only the end-of-sequence token into "stop".
    assert chat["choices"][0]["finish_reason"] == "stop_sequence"
    generate = httpx2.post(
        f"{url}/generate",
        json={"inputs": PROMPT, "parameters": {"stop": ["the"], "details": True, "max_new_tokens": 60}},
    ).json()
    assert generate["details"]["finish_reason"] == "stop_sequence"


def test_the_end_of_sequence_is_stop_on_chat_and_eos_token_on_a_completion_stream(url) -> None:
    chat = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, "temperature": 0}).json()
    assert chat["choices"][0]["finish_reason"] == "stop"
    events, _ = stream_events(f"{url}/v1/completions", {"prompt": PROMPT, "temperature": 0, "stream": True})
    # The stream's final chunk writes FinishReason with Display: "eos_token"; earlier chunks write "".
    assert [event["choices"][0]["finish_reason"] for event in events] == [""] * (len(events) - 1) + [
        "eos_token"
    ]
    assert events[-1]["usage"]["completion_tokens"] == len(events)


@pytest.mark.parametrize(
    ("model", "named"),
    [("tgi", "google/gemma-1.1-2b-it"), ("my-adapter", "my-adapter"), (None, "google/gemma-1.1-2b-it")],
)
def test_chat_answers_name_the_requested_model_unless_it_is_tgi(url, model, named: str) -> None:
    body = {"messages": MESSAGES, "max_tokens": 3, **({"model": model} if model else {})}
    assert httpx2.post(f"{url}/v1/chat/completions", json=body).json()["model"] == named


def test_a_grammar_is_refused_not_ignored(url) -> None:
    schema = {"type": "json", "value": {"properties": {"name": {"type": "string"}}}}
    generate = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"grammar": schema}})
    chat = httpx2.post(
        f"{url}/v1/chat/completions", json={"messages": MESSAGES, "response_format": schema, "max_tokens": 5}
    )
    refusal = {"error": "Input validation error: grammar is not supported", "error_type": "validation"}
    assert (generate.status_code, generate.json()) == (422, refusal)
    assert (chat.status_code, chat.json()) == (422, refusal)


def test_tools_are_refused_as_a_tool_error(url) -> None:
    tool = {"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}
    response = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, "tools": [tool]})
    assert (response.status_code, response.json()["error_type"]) == (422, "tool_error")


def test_top_n_tokens_lists_the_alternatives_of_each_token(url, schemas) -> None:
    parameters = {"max_new_tokens": 4, "details": True, "top_n_tokens": 3}
    answer = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": parameters}).json()
    assert [len(step) for step in answer["details"]["top_tokens"]] == [3, 3, 3, 3]
    assert schemas.errors("GenerateResponse", answer) == []
    events, _ = stream_events(f"{url}/generate_stream", {"inputs": PROMPT, "parameters": parameters})
    assert [len(event["top_tokens"]) for event in events] == [3, 3, 3, 3]


def test_more_top_n_tokens_than_the_server_allows_is_refused(url) -> None:
    response = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"top_n_tokens": 6}})
    assert (
        response.json()["error"] == "Input validation error: `top_n_tokens` must be >= 0 and <= 5. Given: 6"
    )


def test_chat_top_logprobs_come_from_the_top_tokens(url) -> None:
    body = {"messages": MESSAGES, "max_tokens": 2, "logprobs": True, "top_logprobs": 2}
    content = httpx2.post(f"{url}/v1/chat/completions", json=body).json()["choices"][0]["logprobs"]["content"]
    assert [len(token["top_logprobs"]) for token in content] == [2, 2]


def test_top_p_of_one_is_refused(url) -> None:
    response = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"top_p": 1.0}})
    assert response.json()["error"] == "Input validation error: `top_p` must be > 0.0 and < 1.0"


def test_generate_answers_with_the_routers_headers(url) -> None:
    response = httpx2.post(f"{url}/generate", json={"inputs": PROMPT, "parameters": {"max_new_tokens": 4}})
    headers = response.headers
    assert (headers["x-compute-type"], headers["x-generated-tokens"], headers["x-compute-characters"]) == (
        "gpu+optimized",
        "4",
        str(len(PROMPT)),
    )
    assert int(headers["x-prompt-tokens"]) > 0 and float(headers["x-compute-time"]) >= 0
    assert {
        "x-total-time",
        "x-validation-time",
        "x-queue-time",
        "x-inference-time",
        "x-time-per-token",
    } <= set(headers)


def test_a_stream_answers_with_the_stream_headers(url) -> None:
    with httpx2.stream("POST", f"{url}/generate_stream", json={"inputs": PROMPT}) as response:
        assert (response.headers["x-compute-type"], response.headers["x-accel-buffering"]) == (
            "gpu+optimized",
            "no",
        )


def test_the_compat_route_returns_the_prompt_of_a_text_generation_model(url) -> None:
    answer = httpx2.post(url, json={"inputs": PROMPT, "parameters": {"max_new_tokens": 3}}).json()
    assert answer[0]["generated_text"].startswith(PROMPT)


def test_a_chat_counts_twice_in_tgi_request_count(url) -> None:
    """chat_completions counts the request, then generate_internal counts it again."""
    httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, "max_tokens": 2})
    lines = httpx2.get(f"{url}/metrics").text.splitlines()
    assert {"tgi_request_count 2", "tgi_request_success 1"} <= set(lines)


def test_a_fresh_server_lists_no_request_count_yet(url) -> None:
    assert "tgi_request_count" not in httpx2.get(f"{url}/metrics").text


def test_the_inference_client_reads_a_streamed_validation_error(url) -> None:
    client = InferenceClient(model=url)
    with pytest.raises(ValidationError, match="must be strictly positive"):
        list(client.text_generation(PROMPT, temperature=-1.0, stream=True))


# Recorded by TGI's own integration tests, kept in its repository (integration-tests/models/__snapshots__/):
# test_chat_llama/test_flash_llama_simple.json (a chat completion, TGI 2.2.1) and
# test_completion_prompts/test_flash_llama_completion_many_prompts_stream.json (completion chunks, 3.1.2).
# Excerpts: the fields TGI itself writes (the test client adds nulls for the fields it knows but TGI omits).
RECORDED_CHAT_FIELDS = {"choices", "created", "id", "model", "object", "system_fingerprint", "usage"}
RECORDED_CHAT_CHOICE = {"finish_reason": "length", "index": 0, "logprobs": None}
RECORDED_COMPLETION_CHUNK = {"id": "", "object": "text_completion", "finish_reason": "", "logprobs": None}


def test_a_chat_completion_has_the_fields_tgi_recorded(url) -> None:
    answer = httpx2.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES, "max_tokens": 4}).json()
    choice = answer["choices"][0]
    assert set(answer) == RECORDED_CHAT_FIELDS and answer["id"] == ""
    assert {key: choice[key] for key in RECORDED_CHAT_CHOICE} == RECORDED_CHAT_CHOICE
    assert answer["system_fingerprint"].endswith("-native")


def test_completion_chunks_have_the_fields_tgi_recorded(url) -> None:
    events, _ = stream_events(f"{url}/v1/completions", {"prompt": PROMPT, "max_tokens": 3, "stream": True})
    first = events[0]
    choice = first["choices"][0]
    assert (first["id"], first["object"], choice["finish_reason"], choice["logprobs"]) == tuple(
        RECORDED_COMPLETION_CHUNK.values()
    )
