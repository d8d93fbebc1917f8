"""text-embeddings-inference (router/src/http/server.rs, lib.rs and core/src of TEI 1.9.3) serving hubsim's
embedding model (hubsim/models/embeddings.py) for an embedding repository.

Errors are ``{"error", "error_type"}`` with TEI's error types as its enum names them ("Validation",
"Empty", "Backend" ...: 422, 400, 424 ...); /v1/embeddings words them ``{"message", "code", "type"}``.
Batches are refused above ``max_client_batch_size`` (32); inputs longer than ``max_input_length`` (512
tokens) are truncated, TEI's default (``--auto-truncate``), unless the request sets ``truncate: false``.
"""

import base64
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference.chat import tokenize
from hubsim.inference.common_routes import healthy, metrics
from hubsim.inference.engines import TEI
from hubsim.inference.metrics import ExporterRegistry
from hubsim.inference.params import JsonRejection, json_body, unreadable
from hubsim.inference.routing import EngineServer, Served

TEI_VERSION = "1.9.3"
MAX_CLIENT_BATCH_SIZE = 32
MAX_CONCURRENT_REQUESTS = 512
MAX_BATCH_TOKENS = 16384
# ErrorType -> HTTP status (server.rs's From<&ErrorType> for StatusCode).
_STATUS = {
    "Unhealthy": 503,
    "Backend": 424,
    "Overloaded": 429,
    "Tokenizer": 422,
    "Validation": 422,
    "Empty": 400,
}


def tei_error(kind: str, message: str) -> ApiError:
    return ApiError(_STATUS[kind], message, error_type=kind)


def render_error(failure: ApiError) -> Response:
    if isinstance(failure, JsonRejection):
        return PlainTextResponse(failure.message, status_code=failure.status)
    return JSONResponse(
        {"error": failure.message, "error_type": failure.error_type}, status_code=failure.status
    )


def max_input_length(served: Served) -> int:
    return models.text_family(served.repo_id).context_length


class TeiMetrics:
    """The router's and core's te_* metrics, as its Prometheus exporter writes them."""

    def __init__(self) -> None:
        durations = tuple(0.00001 * 1.5**power for power in range(1, 36))
        lengths = tuple(2.0**power for power in range(10))  # powers of two up to max_input_length
        self.registry = ExporterRegistry(
            {}, lambda name: lengths if name.endswith("input_length") else durations
        )

    def render(self) -> tuple[str, str]:
        return self.registry.render()


def _metrics(served: Served) -> ExporterRegistry:
    assert isinstance(served.metrics, TeiMetrics)
    return served.metrics.registry


@dataclass(frozen=True)
class Batch:
    texts: list[str]
    single: bool


async def _read_inputs(served: Served, inputs: Any) -> Batch:
    """``Input``: a string or token ids, or a list of them. Counts the request as TEI does (by method)."""
    single = isinstance(inputs, str) or (
        isinstance(inputs, list) and all(isinstance(item, int) for item in inputs) and inputs != []
    )
    items = [inputs] if single else inputs
    if not isinstance(items, list):
        raise unreadable("inputs: data did not match any variant of untagged enum Input")
    registry = _metrics(served)
    registry.increment("te_request_count", (("method", "single" if single else "batch"),))
    if not items:
        registry.increment("te_request_failure", (("err", "validation"),))
        raise tei_error("Empty", "`inputs` cannot be empty")
    if len(items) > MAX_CLIENT_BATCH_SIZE:
        registry.increment("te_request_failure", (("err", "batch_size"),))
        raise tei_error(
            "Validation", f"batch size {len(items)} > maximum allowed batch size {MAX_CLIENT_BATCH_SIZE}"
        )
    texts = []
    for item in items:
        if isinstance(item, list) and all(isinstance(token, int) for token in item):
            item = models.detokenize(served.repo_id, item)
        if not isinstance(item, str):
            raise unreadable("inputs: data did not match any variant of untagged enum InputType")
        texts.append(item)
    return Batch(texts, single)


async def _encoded(served: Served, text: str, truncate: bool) -> str:
    """The text the model sees: refused when empty or (without truncation) too long, else cut to the limit."""
    if not text:
        _metrics(served).increment("te_request_failure", (("err", "tokenization"),))
        raise tei_error("Empty", "Input validation error: `inputs` cannot be empty")
    pieces = await tokenize(served, text)
    limit = max_input_length(served)
    if len(pieces) > limit:
        if not truncate:
            raise tei_error(
                "Validation",
                f"Input validation error: `inputs` must have less than {limit} tokens. Given: {len(pieces)}",
            )
        text = text[: pieces[limit - 2][3]]  # keep room for [CLS] and [SEP]
    _metrics(served).observe("te_request_input_length", min(len(pieces), limit))
    return text


def _options(body: dict[str, Any]) -> tuple[bool, bool, int | None]:
    truncate = body.get("truncate")
    dimensions = body.get("dimensions")
    if dimensions is not None and (
        not isinstance(dimensions, int) or isinstance(dimensions, bool) or dimensions < 0
    ):
        raise unreadable("dimensions: invalid type, expected usize")
    return (
        (True if truncate is None else bool(truncate)),
        body.get("normalize", True) is not False,
        dimensions,
    )


def _pooled(vector: np.ndarray, dimensions: int | None, normalize: bool) -> list[float]:
    """``embed_pooled``: Matryoshka truncation, then normalisation."""
    if dimensions is not None:
        if dimensions == 0:
            raise tei_error("Validation", "Input validation error: `dimensions` should be positive")
        if dimensions > len(vector):
            raise tei_error(
                "Validation",
                "Input validation error:"
                " `dimensions` should be smaller than the maximum embedding dimension.",
            )
        vector = vector[:dimensions]
    return (models.normalized(vector) if normalize else vector).astype(np.float32).tolist()


async def _embeddings(
    served: Served, body: Any, *, key: str = "inputs"
) -> tuple[list[list[float]], dict[str, str], int]:
    started = time.perf_counter()
    if not isinstance(body, dict) or key not in body:
        raise unreadable(f"missing field `{key}`")
    batch = await _read_inputs(served, body[key])
    truncate, normalize, dimensions = _options(body)
    model = models.embedding_model()
    vectors, tokens = [], 0
    for text in batch.texts:
        seen = await _encoded(served, text, truncate)
        tokens += len(await tokenize(served, seen))
        raw = await run_in_threadpool(model.embed, seen)
        vectors.append(_pooled(raw, dimensions, normalize))
    seconds = time.perf_counter() - started
    registry = _metrics(served)
    method = "single" if batch.single else "batch"
    registry.increment("te_request_success", (("method", method),))
    registry.increment("te_embed_count", by=len(batch.texts))
    registry.increment("te_embed_success", by=len(batch.texts))
    registry.observe("te_request_duration", seconds)
    registry.observe("te_request_inference_duration", seconds)
    return vectors, _headers(sum(map(len, batch.texts)), tokens, seconds), tokens


def _headers(characters: int, tokens: int, seconds: float) -> dict[str, str]:
    """ResponseMetadata's headers; hubsim spends its time inferring."""
    milliseconds = str(int(seconds * 1000))
    return {
        "x-compute-type": "gpu+optimized",
        "x-compute-time": milliseconds,
        "x-compute-characters": str(characters),
        "x-compute-tokens": str(tokens),
        "x-total-time": milliseconds,
        "x-tokenization-time": "0",
        "x-queue-time": "0",
        "x-inference-time": milliseconds,
    }


async def embed(request: Request, served: Served) -> Response:
    vectors, headers, _ = await _embeddings(served, await json_body(request))
    return JSONResponse(vectors, headers=headers)


async def embed_all(request: Request, served: Served) -> Response:
    """Every token's vector (unpooled): hubsim embeds each token's text."""
    body = await json_body(request)
    if not isinstance(body, dict) or "inputs" not in body:
        raise unreadable("missing field `inputs`")
    batch = await _read_inputs(served, body["inputs"])
    model = models.embedding_model()
    result = []
    for text in batch.texts:
        pieces = await tokenize(served, await _encoded(served, text, _options(body)[0]))
        result.append([model.embed(piece or text).tolist() for _, piece, _, _ in pieces])
    return JSONResponse(result)


async def openai_embeddings(request: Request, served: Served) -> Response:
    """``/v1/embeddings``: OpenAI's shape, normalised vectors (float or base64 of little-endian float32)."""
    body = await json_body(request)
    try:
        if not isinstance(body, dict) or "input" not in body:
            raise unreadable("missing field `input`")
        encoding = body.get("encoding_format", "float")
        if encoding not in ("float", "base64"):
            raise unreadable(f"encoding_format: unknown variant `{encoding}`, expected `float` or `base64`")
        options = {"inputs": body["input"], "normalize": True, "dimensions": body.get("dimensions")}
        vectors, headers, tokens = await _embeddings(served, options)
    except JsonRejection:
        raise
    except ApiError as failure:
        kind = failure.error_type or "Validation"
        return JSONResponse(
            {"message": failure.message, "code": failure.status, "type": kind}, status_code=failure.status
        )
    data = [
        {
            "object": "embedding",
            "embedding": base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode()
            if encoding == "base64"
            else vector,
            "index": index,
        }
        for index, vector in enumerate(vectors)
    ]
    usage = {"prompt_tokens": tokens, "total_tokens": tokens}
    return JSONResponse(
        {"object": "list", "data": data, "model": served.repo_id, "usage": usage}, headers=headers
    )


async def similarity(request: Request, served: Served) -> Response:
    """``/similarity``: cosine similarity of the source sentence to each sentence (TEI embeds them
    unnormalised, in one batch counted with the source)."""
    body = await json_body(request)
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, dict) or not isinstance(inputs.get("source_sentence"), str):
        raise unreadable("inputs: missing field `source_sentence`")
    sentences = inputs.get("sentences")
    if not isinstance(sentences, list) or not all(isinstance(sentence, str) for sentence in sentences):
        raise unreadable("inputs: missing field `sentences`")
    if not sentences:
        _metrics(served).increment("te_request_failure", (("err", "validation"),))
        raise tei_error("Empty", "`inputs.sentences` cannot be empty")
    if len(sentences) + 1 > MAX_CLIENT_BATCH_SIZE:
        _metrics(served).increment("te_request_failure", (("err", "batch_size"),))
        raise tei_error(
            "Validation",
            f"batch size {len(sentences) + 1} > maximum allowed batch size {MAX_CLIENT_BATCH_SIZE}",
        )
    parameters = body.get("parameters") or {}
    options = {
        "inputs": [inputs["source_sentence"], *sentences],
        "normalize": False,
        "truncate": parameters.get("truncate"),
    }
    vectors, headers, _ = await _embeddings(served, options)
    source = models.normalized(np.asarray(vectors[0]))
    scores = [float(source @ models.normalized(np.asarray(vector))) for vector in vectors[1:]]
    return JSONResponse(scores, headers=headers)


async def rerank(request: Request, served: Served) -> Response:
    body = await json_body(request)
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("query"), str)
        or not isinstance(body.get("texts"), list)
    ):
        raise unreadable("missing field `query` or `texts`")
    registry = _metrics(served)
    if not body["texts"]:
        registry.increment("te_request_failure", (("err", "validation"),))
        raise tei_error("Empty", "`texts` cannot be empty")
    registry.increment("te_request_failure", (("err", "model_type"),))
    raise tei_error("Backend", "Backend error: model is not a re-ranker model")


async def predict(request: Request, served: Served) -> Response:
    await json_body(request)
    _metrics(served).increment("te_request_failure", (("err", "model_type"),))
    raise tei_error("Backend", "Backend error: Model is not a classifier model")


async def embed_sparse(request: Request, served: Served) -> Response:
    await json_body(request)
    _metrics(served).increment("te_request_failure", (("err", "model_type"),))
    raise tei_error("Backend", "Backend error: Model is not an embedding model with SPLADE pooling")


async def tokenize_route(request: Request, served: Served) -> Response:
    body = await json_body(request)
    inputs = body.get("inputs") if isinstance(body, dict) else None
    texts = [inputs] if isinstance(inputs, str) else inputs
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise unreadable("missing field `inputs`")
    if not texts:
        raise tei_error("Empty", "`inputs` cannot be empty")
    add_special_tokens = body.get("add_special_tokens", True) is not False
    special = set(models.text_family(served.repo_id).special_tokens)
    answer = []
    for text in texts:
        pieces = await tokenize(served, text, add_special_tokens=add_special_tokens)
        answer.append(
            [
                {
                    "id": token_id,
                    "text": piece,
                    "special": piece in special or start == stop,
                    "start": start,
                    "stop": stop,
                }
                for token_id, piece, start, stop in pieces
            ]
        )
    return JSONResponse(answer)


async def decode(request: Request, served: Served) -> Response:
    body = await json_body(request)
    ids = body.get("ids") if isinstance(body, dict) else None
    batch = ids if isinstance(ids, list) and ids and isinstance(ids[0], list) else [ids]
    if not all(isinstance(item, list) and all(isinstance(token, int) for token in item) for item in batch):
        raise unreadable("missing field `ids`")
    return JSONResponse([models.detokenize(served.repo_id, item) for item in batch])


async def info(request: Request, served: Served) -> Response:
    return JSONResponse(
        {
            "model_id": served.repo_id,
            "model_sha": served.record.spec["model"]["revision"],
            "model_dtype": "float16",
            "served_model_name": served.repo_id,
            "model_type": {"embedding": {"pooling": "cls"}},
            "max_concurrent_requests": MAX_CONCURRENT_REQUESTS,
            "max_input_length": max_input_length(served),
            "max_batch_tokens": MAX_BATCH_TOKENS,
            "max_batch_requests": None,
            "max_client_batch_size": MAX_CLIENT_BATCH_SIZE,
            "auto_truncate": True,
            "tokenization_workers": 2,
            "version": TEI_VERSION,
            "sha": None,
            "docker_label": None,
        }
    )


SERVER = EngineServer(
    name=TEI,
    routes={
        "": {"POST": embed, "GET": healthy},  # an embedding model's root route embeds
        "/invocations": {"POST": embed},
        "/embed": {"POST": embed},
        "/embed_all": {"POST": embed_all},
        "/embed_sparse": {"POST": embed_sparse},
        "/embeddings": {"POST": openai_embeddings},
        "/v1/embeddings": {"POST": openai_embeddings},
        "/similarity": {"POST": similarity},
        "/rerank": {"POST": rerank},
        "/predict": {"POST": predict},
        "/tokenize": {"POST": tokenize_route},
        "/decode": {"POST": decode},
        "/info": {"GET": info},
        "/health": {"GET": healthy},
        "/ping": {"GET": healthy},
        "/metrics": {"GET": metrics},
    },
    render_error=render_error,
    not_found=lambda request: Response(status_code=404),
    new_metrics=lambda record: TeiMetrics(),
)
