"""An endpoint whose image is TEI, serving BAAI/bge-small-en-v1.5 with hubsim's embedding model: read with
huggingface_hub's InferenceClient and the openai client, and validated against an excerpt of TEI's OpenAPI
document (text-embeddings-inference v1.9.3, docs/openapi.json)."""

import base64

import httpx2
import numpy as np
import openai
import pytest
from huggingface_hub import InferenceClient
from jsonschema import Draft202012Validator

from hubsim.inference.tei import MAX_CLIENT_BATCH_SIZE

# Excerpt of text-embeddings-inference v1.9.3's docs/openapi.json, components/schemas (the parts hubsim
# answers with), written down in JSON Schema: required fields and types as the document states them.
_FLOATS = {"type": "array", "items": {"type": "number"}}
TEI_SCHEMAS = {
    "EmbedResponse": {"type": "array", "items": _FLOATS},
    "SimilarityResponse": _FLOATS,
    "ErrorResponse": {
        "type": "object",
        "required": ["error", "error_type"],
        "properties": {
            "error": {"type": "string"},
            "error_type": {
                "enum": ["Unhealthy", "Backend", "Overloaded", "Validation", "Tokenizer", "Empty"]
            },
        },
    },
    "OpenAICompatResponse": {
        "type": "object",
        "required": ["object", "data", "model", "usage"],
        "properties": {
            "data": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["object", "embedding", "index"],
                    "properties": {
                        "embedding": {"oneOf": [_FLOATS, {"type": "string"}]},
                        "index": {"type": "integer"},
                    },
                },
            },
            "usage": {
                "type": "object",
                "required": ["prompt_tokens", "total_tokens"],
                "properties": {"prompt_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}},
            },
        },
    },
    "Info": {
        "type": "object",
        "required": [
            "model_id",
            "model_dtype",
            "served_model_name",
            "model_type",
            "max_concurrent_requests",
            "max_input_length",
            "max_batch_tokens",
            "max_client_batch_size",
            "auto_truncate",
            "tokenization_workers",
            "version",
        ],
        "properties": {
            "model_type": {
                "type": "object",
                "required": ["embedding"],
                "properties": {"embedding": {"type": "object", "required": ["pooling"]}},
            }
        },
    },
}

QUERY = "How do I bake bread at home?"
RELATED = "Kneading the dough and letting it rise before it goes in the oven"
UNRELATED = "The rocket carried astronauts to the space station"


def errors(schema: str, instance) -> list[str]:
    return [error.message for error in Draft202012Validator(TEI_SCHEMAS[schema]).iter_errors(instance)]


@pytest.fixture
def url(engine_url) -> str:
    return engine_url("tei")


def test_feature_extraction_gives_a_unit_vector_of_the_models_size(url) -> None:
    vector = InferenceClient(model=url).feature_extraction(QUERY)
    assert (vector.shape, vector.dtype) == ((1, 384), np.float32)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_related_sentences_are_more_similar_than_unrelated_ones(url) -> None:
    client = InferenceClient(model=url)
    query, related, unrelated = (client.feature_extraction(text)[0] for text in (QUERY, RELATED, UNRELATED))
    assert query @ related > query @ unrelated + 0.2


def test_the_similarity_route_ranks_the_related_sentence_first(url) -> None:
    scores = InferenceClient(model=f"{url}/similarity").sentence_similarity(QUERY, [UNRELATED, RELATED])
    assert errors("SimilarityResponse", scores) == []
    assert scores[1] > scores[0]


def test_sentence_similarity_on_the_root_url_is_an_embed_request_tei_cannot_read(url) -> None:
    """TEI's root route embeds; InferenceClient.sentence_similarity posts {"inputs": {...}} there."""
    response = httpx2.post(url, json={"inputs": {"source_sentence": QUERY, "sentences": [RELATED]}})
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/plain")


def test_embed_answers_a_batch_and_normalize_false_keeps_the_pooled_norm(url) -> None:
    answer = httpx2.post(f"{url}/embed", json={"inputs": [QUERY, RELATED], "normalize": False}).json()
    assert errors("EmbedResponse", answer) == [] and len(answer) == 2
    assert np.linalg.norm(answer[0]) > 1.5


def test_dimensions_truncate_the_vector(url) -> None:
    answer = httpx2.post(f"{url}/embed", json={"inputs": QUERY, "dimensions": 64}).json()
    assert len(answer[0]) == 64 and np.linalg.norm(answer[0]) == pytest.approx(1.0, abs=1e-5)


def test_the_openai_client_reads_embeddings_as_floats_and_as_base64(url) -> None:
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="none")
    floats = client.embeddings.create(model="BAAI/bge-small-en-v1.5", input=[QUERY, RELATED])
    raw = httpx2.post(f"{url}/v1/embeddings", json={"input": QUERY, "encoding_format": "base64"}).json()
    assert errors("OpenAICompatResponse", raw) == []
    decoded = np.frombuffer(base64.b64decode(raw["data"][0]["embedding"]), dtype="<f4")
    assert decoded == pytest.approx(np.array(floats.data[0].embedding, dtype=np.float32))
    assert floats.usage.prompt_tokens == floats.usage.total_tokens > 0


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"inputs": []}, 400, "Empty"),
        ({"inputs": ["word"] * (MAX_CLIENT_BATCH_SIZE + 1)}, 422, "Validation"),
        ({"inputs": "word " * 600, "truncate": False}, 422, "Validation"),
        ({"inputs": QUERY, "dimensions": 1000}, 422, "Validation"),
    ],
)
def test_teis_limits_answer_its_error_body(url, body: dict, status: int, kind: str) -> None:
    response = httpx2.post(f"{url}/embed", json=body)
    assert (response.status_code, response.json()["error_type"]) == (status, kind)
    assert errors("ErrorResponse", response.json()) == []


def test_a_long_input_is_truncated_by_default(url) -> None:
    assert httpx2.post(f"{url}/embed", json={"inputs": "word " * 600}).status_code == 200


def test_an_embedding_model_is_no_reranker(url) -> None:
    response = httpx2.post(f"{url}/rerank", json={"query": QUERY, "texts": [RELATED]})
    assert (response.status_code, response.json()) == (
        424,
        {"error": "Backend error: model is not a re-ranker model", "error_type": "Backend"},
    )


def test_info_describes_an_embedding_model(url) -> None:
    info = httpx2.get(f"{url}/info").json()
    assert errors("Info", info) == []
    assert (info["model_type"], info["max_input_length"]) == ({"embedding": {"pooling": "cls"}}, 512)


def test_metrics_count_requests_by_method(url) -> None:
    httpx2.post(f"{url}/embed", json={"inputs": QUERY})
    httpx2.post(f"{url}/embed", json={"inputs": [QUERY, RELATED]})
    lines = httpx2.get(f"{url}/metrics").text.splitlines()
    assert {'te_request_count{method="single"} 1', 'te_request_count{method="batch"} 1'} <= set(lines)
    assert "te_embed_success 3" in lines


def test_embed_answers_the_compute_headers(url) -> None:
    headers = httpx2.post(f"{url}/embed", json={"inputs": QUERY}).headers
    assert headers["x-compute-characters"] == str(len(QUERY)) and int(headers["x-compute-tokens"]) > 0
