"""llama.cpp's server (tools/server/server.cpp, server-common.cpp and server-task.cpp of late 2025, the
revision whose routes include /v1/messages; the Endpoints documentation says endpoints run an image built
from master): its OpenAI-compatible routes and its own.

Errors are ``{"error": {"code", "message", "type"}}`` with the HTTP status of ``code``; a field of the wrong
type is not refused but read as its default (``json_value`` falls back); chat streams begin with a
``{"role": "assistant", "content": null}`` delta and end with an empty delta carrying the finish reason.
Assumed, since the Endpoints documentation only says which environment variables the platform sets
(LLAMA_ARG_ENDPOINT_METRICS, LLAMA_ARG_EMBEDDINGS, LLAMA_ARG_CTX_SIZE ...) and not to what: metrics on,
embeddings off, a context of N_CTX tokens, and the model loaded from /repository (where Inference Endpoints
puts the repository, as its custom container documentation says).
"""

import random
import string
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference import openai_server
from hubsim.inference.chat import tokenize
from hubsim.inference.engines import LLAMACPP
from hubsim.inference.generation import stream_tokens
from hubsim.inference.openai_requests import OpenAiRequest
from hubsim.inference.openai_server import Dialect, OpenAiError, Recorder, StopStringFilter
from hubsim.inference.routing import EngineServer, Served
from hubsim.inference.sse import data_event, event_stream
from hubsim.models import GenerationParams
from hubsim.request_context import json_body

N_CTX = 4096
N_SLOTS = 4  # server.cpp: n_parallel 1 becomes 4 slots with a unified KV cache
# The build the responses name as system_fingerprint (assumed: "b<build number>-<commit>" of some build).
BUILD_INFO = "b7200-hubsim"
_ERROR_STATUS = {
    "invalid_request_error": 400,
    "exceed_context_size_error": 400,
    "not_found_error": 404,
    "server_error": 500,
    "not_supported_error": 501,
    "unavailable_error": 503,
}


def error(message: str, kind: str = "invalid_request_error", **extra: object) -> ApiError:
    """``format_error_response``: the type decides the status."""
    return OpenAiError(_ERROR_STATUS[kind], message, kind, None, **extra)


def render_error(failure: ApiError) -> Response:
    kind = failure.error_type if failure.error_type in _ERROR_STATUS else "invalid_request_error"
    extra = failure.extra if isinstance(failure, OpenAiError) else {}
    body = {"error": {"code": failure.status, "message": failure.message, "type": kind, **extra}}
    return JSONResponse(body, status_code=failure.status)


def model_file(served: Served) -> str:
    """The GGUF file the server loaded. Assumed: the image's ``modelPath`` when set, else the repository's
    Q4_K_M file."""
    config = served.record.spec["model"]["image"].get("llamacpp") or {}
    if config.get("modelPath"):
        return str(config["modelPath"])
    files = sorted(path for path in models.repo_files(served.repo_id) if path.endswith(".gguf"))
    chosen = next((path for path in files if "q4_k_m" in path), files[0] if files else "model.gguf")
    return f"/repository/{chosen}"


def check_request(served: Served, request: OpenAiRequest, input_tokens: int) -> None:
    _check_context(input_tokens)


def _check_context(input_tokens: int) -> None:
    if input_tokens >= N_CTX:
        raise error(
            "the request exceeds the available context size, try increasing it",
            "exceed_context_size_error",
            n_prompt_tokens=input_tokens,
            n_ctx=N_CTX,
        )


class LlamaCppMetrics:
    """server_metrics, rendered as the /metrics handler writes them (``llamacpp:`` names; no request count:
    tokens are what it counts)."""

    def __init__(self) -> None:
        self.started_at = int(time.time() * 1_000_000)
        self.prompt_tokens = 0
        self.prompt_seconds = 0.0
        self.predicted_tokens = 0
        self.predicted_seconds = 0.0
        self.decodes = 0
        self.tokens_max = 0
        self.processing = 0

    def render(self) -> tuple[str, str]:
        metrics = [
            ("counter", "prompt_tokens_total", "Number of prompt tokens processed.", self.prompt_tokens),
            ("counter", "prompt_seconds_total", "Prompt process time", self.prompt_seconds),
            (
                "counter",
                "tokens_predicted_total",
                "Number of generation tokens processed.",
                self.predicted_tokens,
            ),
            ("counter", "tokens_predicted_seconds_total", "Predict process time", self.predicted_seconds),
            ("counter", "n_decode_total", "Total number of llama_decode() calls", self.decodes),
            ("counter", "n_tokens_max", "Largest observed n_tokens.", self.tokens_max),
            (
                "counter",
                "n_busy_slots_per_decode",
                "Average number of busy slots per llama_decode() call",
                1.0,
            ),
            ("gauge", "prompt_tokens_seconds", "Average prompt throughput in tokens/s.", self._rate(True)),
            (
                "gauge",
                "predicted_tokens_seconds",
                "Average generation throughput in tokens/s.",
                self._rate(False),
            ),
            ("gauge", "requests_processing", "Number of requests processing.", self.processing),
            ("gauge", "requests_deferred", "Number of requests deferred.", 0),
        ]
        lines = []
        for kind, name, help_text, value in metrics:
            lines += [f"# HELP llamacpp:{name} {help_text}", f"# TYPE llamacpp:{name} {kind}"]
            lines.append(f"llamacpp:{name} {value:g}")
        return "\n".join(lines) + "\n", "text/plain; version=0.0.4"

    def _rate(self, prompt: bool) -> float:
        tokens, seconds = (
            (self.prompt_tokens, self.prompt_seconds)
            if prompt
            else (self.predicted_tokens, self.predicted_seconds)
        )
        return tokens / seconds if seconds else 0.0


class _LlamaCppRecorder(Recorder):
    def __init__(self, metrics: LlamaCppMetrics) -> None:
        self.metrics = metrics

    def started(self, prompt_tokens: int, max_tokens: int) -> None:
        self.metrics.processing += 1
        self.metrics.prompt_tokens += prompt_tokens
        self.metrics.decodes += 1
        self.metrics.tokens_max = max(self.metrics.tokens_max, prompt_tokens)

    def token(self) -> None:
        self.metrics.decodes += 1

    def finished(self, finish_reason: str, prompt_tokens: int, generated: int, seconds: float) -> None:
        self.metrics.processing -= 1
        self.metrics.predicted_tokens += generated
        self.metrics.predicted_seconds += seconds
        self.metrics.tokens_max = max(self.metrics.tokens_max, prompt_tokens + generated)

    def failed(self) -> None:
        self.metrics.processing -= 1


def _recorder(served: Served) -> Recorder:
    assert isinstance(served.metrics, LlamaCppMetrics)
    return _LlamaCppRecorder(served.metrics)


def _completion_id(chat: bool) -> str:
    """gen_chatcmplid(): a prefix and 32 random letters and digits."""
    letters = "".join(random.choices(string.ascii_letters + string.digits, k=32))
    return ("chatcmpl-" if chat else "cmpl-") + letters


DIALECT = Dialect(
    engine=LLAMACPP,
    served_model=model_file,  # without --alias, the model is named by its path
    context_length=lambda served: N_CTX,
    echoes_model=True,  # oaicompat_model: the request's model
    default_completion_tokens=None,  # n_predict -1: until the end of the sequence or of the context
    default_temperature=0.8,
    first_delta={"role": "assistant", "content": None},
    finish_chunk_apart=True,
    new_id=_completion_id,
    extra_fields=lambda served: {"system_fingerprint": BUILD_INFO},
    bad_request=lambda message, param: error(message),
    wrong_type=lambda key, value, kinds: None,  # json_value(): a value of the wrong type reads as the default
    missing=lambda key: error(f"'{key}' is required", "server_error"),
    includes_usage=lambda options: options.get("include_usage") is True,
    check_request=check_request,
    record=_recorder,
)


chat_completions, completions = openai_server.handlers(DIALECT)


async def list_models(request: Request, served: Served) -> Response:
    name = model_file(served)
    data = [
        {"id": name, "object": "model", "created": int(time.time()), "owned_by": "llamacpp", "meta": None}
    ]
    return JSONResponse(
        {"models": [{"name": name, "model": name, "type": "model"}], "object": "list", "data": data}
    )


async def health(request: Request, served: Served) -> Response:
    return JSONResponse({"status": "ok"})


def _template(served: Served) -> str | None:
    try:
        return models.render_chat(served.repo_id, [{"role": "user", "content": "{prompt}"}])
    except models.ChatTemplateError:
        return None


async def props(request: Request, served: Served) -> Response:
    family = models.text_family(served.repo_id)
    return JSONResponse(
        {
            "default_generation_settings": {"params": {"temperature": 0.8, "n_predict": -1}, "n_ctx": N_CTX},
            "total_slots": N_SLOTS,
            "model_alias": "",
            "model_path": model_file(served),
            "modalities": {"vision": False, "audio": False},
            "endpoint_slots": True,
            "endpoint_props": False,
            "endpoint_metrics": True,
            "webui": True,
            "chat_template": _template(served),
            "bos_token": family.named_tokens.get("bos_token", ""),
            "eos_token": family.named_tokens.get("eos_token", ""),
            "build_info": BUILD_INFO,
        }
    )


async def slots(request: Request, served: Served) -> Response:
    busy = served.metrics.processing if isinstance(served.metrics, LlamaCppMetrics) else 0
    return JSONResponse(
        [
            {"id": slot, "n_ctx": N_CTX, "speculative": False, "is_processing": slot < busy}
            for slot in range(N_SLOTS)
        ]
    )


async def _body(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise error("the request body must be a JSON object", "server_error")
    return body


async def tokenize_route(request: Request, served: Served) -> Response:
    body = await _body(request)
    content = body.get("content")
    if not isinstance(content, str):
        return JSONResponse({"tokens": []})
    pieces = await tokenize(served, content, add_special_tokens=bool(body.get("add_special", False)))
    if body.get("with_pieces"):
        return JSONResponse({"tokens": [{"id": token_id, "piece": piece} for token_id, piece, *_ in pieces]})
    return JSONResponse({"tokens": [token_id for token_id, *_ in pieces]})


async def detokenize(request: Request, served: Served) -> Response:
    tokens = (await _body(request)).get("tokens") or []
    return JSONResponse({"content": models.detokenize(served.repo_id, tokens)})


async def apply_template(request: Request, served: Served) -> Response:
    messages = (await _body(request)).get("messages")
    try:
        return JSONResponse({"prompt": models.render_chat(served.repo_id, messages)})
    except models.ChatTemplateError as failure:
        raise error(str(failure)) from failure


def _native_params(body: dict[str, Any], input_tokens: int) -> GenerationParams:
    temperature = body.get("temperature", 0.8)
    n_predict = body.get("n_predict", -1)
    return GenerationParams(
        max_new_tokens=n_predict
        if isinstance(n_predict, int) and n_predict > 0
        else max(N_CTX - input_tokens, 1),
        temperature=None if temperature <= 0 else temperature,
        top_p=body.get("top_p", 0.95),
        top_k=body.get("top_k", 40) or None,
        seed=body["seed"] if isinstance(body.get("seed"), int) and body["seed"] >= 0 else None,
        stop=tuple(body.get("stop") or ()),
        do_sample=temperature > 0,
    )


async def native_completion(request: Request, served: Served) -> Response:
    """``/completion``: ``{"prompt", "n_predict", "stream", ...}``; answers ``{"content", "stop", "stop_type",
    "tokens_predicted", "tokens_evaluated", ...}``; a stream's events carry each piece and end without
    ``[DONE]``."""
    body = await _body(request)
    prompt = body.get("prompt")
    if not isinstance(prompt, str):
        raise error('"prompt" must be a string or an array of tokens')
    input_tokens = len(await tokenize(served, prompt))
    _check_context(input_tokens)
    params = _native_params(body, input_tokens)
    recorder = _recorder(served)
    recorder.started(input_tokens, params.max_new_tokens)
    stream = bool(body.get("stream"))
    tokens = stream_tokens(
        await served.engine(), served.repo_id, prompt, params, served.token_latency if stream else 0
    )
    model = body.get("model") or model_file(served)

    async def results() -> AsyncIterator[dict[str, Any]]:
        started, count = time.perf_counter(), 0
        text_filter = StopStringFilter(params.stop)
        async for token in tokens:
            count += 1
            recorder.token()
            piece = text_filter.push(token)
            partial = {
                "index": 0,
                "content": piece,
                "tokens": [],
                "stop": False,
                "id_slot": 0,
                "tokens_predicted": count,
                "tokens_evaluated": input_tokens,
            }
            if not token.finish_reason:
                yield partial
                continue
            recorder.finished("stop", input_tokens, count, time.perf_counter() - started)
            stop_type = {"length": "limit", "stop_sequence": "word"}.get(token.finish_reason, "eos")
            yield {
                **partial,
                "content": piece if stream else text_filter.text,
                "stop": True,
                "model": model,
                "prompt": prompt,
                "has_new_line": "\n" in text_filter.text,
                "truncated": False,
                "stop_type": stop_type,
                "stopping_word": next((stop for stop in params.stop if stop_type == "word"), ""),
                "tokens_cached": input_tokens + count,
            }

    if not stream:
        return JSONResponse([result async for result in results()][-1])

    async def events() -> AsyncIterator[bytes]:
        async for result in results():
            yield data_event(result)

    return event_stream(events())


async def not_enabled(request: Request, served: Served) -> Response:
    """Embeddings and reranking are off (assumed: LLAMA_ARG_EMBEDDINGS is not set for a chat model)."""
    if request.url.path.endswith(("rerank", "reranking")):
        raise error(
            "This server does not support reranking. Start it with `--reranking`", "not_supported_error"
        )
    raise error(
        "This server does not support embeddings. Start it with `--embeddings`", "not_supported_error"
    )


async def metrics(request: Request, served: Served) -> Response:
    assert isinstance(served.metrics, LlamaCppMetrics)
    body, content_type = served.metrics.render()
    return PlainTextResponse(
        body, media_type=content_type, headers={"Process-Start-Time-Unix": str(served.metrics.started_at)}
    )


SERVER = EngineServer(
    name=LLAMACPP,
    routes={
        "/health": {"GET": health},
        "/v1/health": {"GET": health},
        "/metrics": {"GET": metrics},
        "/props": {"GET": props},
        "/slots": {"GET": slots},
        "/models": {"GET": list_models},
        "/v1/models": {"GET": list_models},
        "/completion": {"POST": native_completion},
        "/completions": {"POST": native_completion},
        "/v1/completions": {"POST": completions},
        "/chat/completions": {"POST": chat_completions},
        "/v1/chat/completions": {"POST": chat_completions},
        "/tokenize": {"POST": tokenize_route},
        "/detokenize": {"POST": detokenize},
        "/apply-template": {"POST": apply_template},
        "/embedding": {"POST": not_enabled},
        "/embeddings": {"POST": not_enabled},
        "/v1/embeddings": {"POST": not_enabled},
        "/rerank": {"POST": not_enabled},
        "/v1/rerank": {"POST": not_enabled},
    },
    render_error=render_error,
    # Assumed: cpp-httplib's 404 through the server's error handler.
    not_found=lambda request: render_error(error("File Not Found", "not_found_error")),
    new_metrics=lambda record: LlamaCppMetrics(),
)
