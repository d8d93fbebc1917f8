"""Every TGI route's responses validate against the schemas of TGI's own OpenAPI document."""

import json
from collections.abc import Callable

import httpx2
import pytest

from hubsim.inference.tgi_server import TGI_OPENAPI
from tests.hubsim.openapi_schemas import OpenApiSchemas
from tests.hubsim.sse import stream_events

MESSAGES = [{"role": "user", "content": "Tell me about gardens."}]
GENERATE = {"inputs": "The garden", "parameters": {"max_new_tokens": 8, "details": True}}


@pytest.fixture(scope="module")
def tgi_schemas() -> OpenApiSchemas:
    return OpenApiSchemas(json.loads(TGI_OPENAPI.read_text()))


@pytest.fixture
def url(running_endpoint) -> str:
    return running_endpoint(type="public").url


def post(url: str, path: str, body: dict) -> httpx2.Response:
    return httpx2.post(url + path, json=body, timeout=30)


# (route, request, schema of the JSON answer)
JSON_ROUTES: list[tuple[str, Callable[[str], httpx2.Response], str]] = [
    ("POST /generate", lambda url: post(url, "/generate", GENERATE), "GenerateResponse"),
    (
        "POST /generate decoder_input_details",
        lambda url: post(
            url,
            "/generate",
            {
                "inputs": "The garden",
                "parameters": {"max_new_tokens": 4, "details": True, "decoder_input_details": True},
            },
        ),
        "GenerateResponse",
    ),
    (
        "POST /generate best_of",
        lambda url: post(
            url,
            "/generate",
            {
                "inputs": "The garden",
                "parameters": {"max_new_tokens": 4, "details": True, "best_of": 2, "do_sample": True},
            },
        ),
        "GenerateResponse",
    ),
    (
        "POST /generate no details",
        lambda url: post(url, "/generate", {"inputs": "The garden"}),
        "GenerateResponse",
    ),
    (
        "POST /v1/chat/completions",
        lambda url: post(url, "/v1/chat/completions", {"messages": MESSAGES, "max_tokens": 8}),
        "ChatCompletion",
    ),
    (
        "POST /v1/chat/completions logprobs",
        lambda url: post(
            url, "/v1/chat/completions", {"messages": MESSAGES, "max_tokens": 4, "logprobs": True}
        ),
        "ChatCompletion",
    ),
    (
        "POST /v1/completions",
        lambda url: post(url, "/v1/completions", {"prompt": "The garden", "max_tokens": 8}),
        "CompletionFinal",
    ),
    ("POST /tokenize", lambda url: post(url, "/tokenize", {"inputs": "The garden"}), "TokenizeResponse"),
    (
        "POST /chat_tokenize",
        lambda url: post(url, "/chat_tokenize", {"messages": MESSAGES}),
        "ChatTokenizeResponse",
    ),
    ("GET /info", lambda url: httpx2.get(url + "/info"), "Info"),
    (
        "POST /invocations chat",
        lambda url: post(url, "/invocations", {"messages": MESSAGES, "max_tokens": 4}),
        "SagemakerResponse",
    ),
    (
        "POST /generate invalid",
        lambda url: post(url, "/generate", {"inputs": "x", "parameters": {"temperature": -1}}),
        "ErrorResponse",
    ),
    (
        "POST /v1/chat/completions invalid",
        lambda url: post(
            url, "/v1/chat/completions", {"messages": MESSAGES, "stop": ["a", "b", "c", "d", "e"]}
        ),
        "ErrorResponse",
    ),
]

STREAM_ROUTES: list[tuple[str, str, dict, str]] = [
    ("POST /generate_stream", "/generate_stream", GENERATE, "StreamResponse"),
    ("POST / stream", "", {**GENERATE, "stream": True}, "StreamResponse"),
    (
        "POST /v1/chat/completions stream",
        "/v1/chat/completions",
        {"messages": MESSAGES, "max_tokens": 8, "stream": True, "stream_options": {"include_usage": True}},
        "ChatCompletionChunk",
    ),
    (
        "POST /v1/completions stream",
        "/v1/completions",
        {"prompt": "The garden", "max_tokens": 8, "stream": True},
        "Chunk",
    ),
]


@pytest.mark.parametrize(("route", "call", "schema"), JSON_ROUTES, ids=[route for route, _, _ in JSON_ROUTES])
def test_json_answers_match_the_tgi_schema(
    tgi_schemas: OpenApiSchemas, url: str, route: str, call, schema: str
) -> None:
    assert tgi_schemas.errors(schema, call(url).json()) == []


def test_the_compat_route_answers_a_list_of_generate_responses(tgi_schemas: OpenApiSchemas, url: str) -> None:
    answer = post(url, "", GENERATE).json()
    assert [tgi_schemas.errors("GenerateResponse", item) for item in answer] == [[]]


def test_sagemaker_generate_answers_the_compat_list(tgi_schemas: OpenApiSchemas, url: str) -> None:
    """sagemaker.rs hands a generate request to compat_generate, which wraps it in a list (the OpenAPI
    document's SagemakerResponse says one object: the code is what answers)."""
    answer = post(url, "/invocations", GENERATE).json()
    assert [tgi_schemas.errors("GenerateResponse", item) for item in answer] == [[]]


def test_v1_models_lists_model_infos(tgi_schemas: OpenApiSchemas, url: str) -> None:
    """server.rs answers ModelsInfo {"object": "list", "data": [ModelInfo]} (the document says ModelInfo)."""
    answer = httpx2.get(url + "/v1/models").json()
    assert answer["object"] == "list"
    assert [tgi_schemas.errors("ModelInfo", item) for item in answer["data"]] == [[]]


@pytest.mark.parametrize(
    ("route", "path", "body", "schema"), STREAM_ROUTES, ids=[route for route, *_ in STREAM_ROUTES]
)
def test_stream_events_match_the_tgi_schema(
    tgi_schemas: OpenApiSchemas, url: str, route: str, path: str, body: dict, schema: str
) -> None:
    events, _ = stream_events(url + path, body)
    assert events
    assert [tgi_schemas.errors(schema, event) for event in events] == [[] for _ in events]


def test_health_answers_200_with_no_body(url: str) -> None:
    response = httpx2.get(url + "/health")
    assert (response.status_code, response.content) == (200, b"")


def test_metrics_answer_prometheus_text(url: str) -> None:
    post(url, "/generate", GENERATE)
    response = httpx2.get(url + "/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    assert "tgi_request_count 1" in response.text.splitlines()


def test_the_openapi_description_is_served_as_tgi_serves_it(url: str) -> None:
    described = httpx2.get(f"{url}/api-doc/openapi.json").json()
    assert described["info"]["title"] == "Text Generation Inference"
    assert "/generate_stream" in described["paths"]
