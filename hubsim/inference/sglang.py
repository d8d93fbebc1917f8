"""SGLang's HTTP server (python/sglang/srt/entrypoints/http_server.py and openai/, SGLang 0.5): the
OpenAI-compatible routes, its native ``/generate`` and ``/get_model_info``, and its ``sglang:*`` metrics.

Errors are the flat ``{"object": "error", "message", "type", "param", "code"}`` of its ``ErrorResponse``; a
streamed error is ``data: {"error": {...}}``. Assumed: the metrics are on (SGLang serves them only when
started with ``--enable-metrics``; the Endpoints documentation does not say).
"""

import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim.errors import ApiError
from hubsim.inference import openai_server
from hubsim.inference.chat import tokenize
from hubsim.inference.common_routes import fastapi_not_found, healthy, metrics
from hubsim.inference.engines import SGLANG
from hubsim.inference.generation import stream_tokens
from hubsim.inference.metrics import ClientRegistry
from hubsim.inference.openai_requests import OpenAiRequest
from hubsim.inference.openai_server import (
    ClientMetricsRecorder,
    Dialect,
    OpenAiError,
    StopStringFilter,
    bad_request,
    model_context,
    model_list,
    repository_name,
    uuid_id,
)
from hubsim.inference.routing import EngineServer, Served
from hubsim.inference.sse import DONE, data_event, event_stream
from hubsim.models import GenerationParams
from hubsim.request_context import json_body

# The default of the native /generate's sampling_params.max_new_tokens.
NATIVE_MAX_NEW_TOKENS = 128
_LATENCY_BUCKETS = (0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 20.0, 40.0, 60.0, 80.0, 120.0)


def render_error(failure: ApiError) -> Response:
    body = {
        "object": "error",
        "message": failure.message,
        "type": failure.error_type or "BadRequestError",
        "param": failure.param if isinstance(failure, OpenAiError) else None,
        "code": failure.status,
    }
    return JSONResponse(body, status_code=failure.status)


def _wrong_type(key: str, value: Any, kinds: tuple[type, ...]) -> Any:
    expected = " or ".join(kind.__name__ for kind in kinds)
    raise bad_request(f"{key}: Input should be a valid {expected}, got {value!r}", param=key)


def check_request(served: Served, request: OpenAiRequest, input_tokens: int) -> None:
    """SamplingParams.verify, then the tokenizer manager's context check (wording recalled, assumed)."""
    if request.temperature is not None and request.temperature < 0:
        raise bad_request(f"temperature must be non-negative, got {request.temperature}.")
    if request.top_p is not None and not 0 < request.top_p <= 1:
        raise bad_request(f"top_p must be in (0, 1], got {request.top_p}.")
    if request.top_k is not None and (request.top_k < -1 or request.top_k == 0):
        raise bad_request(f"top_k must be -1 (disable), or at least 1, got {request.top_k}.")
    if request.max_tokens is not None and request.max_tokens < 0:
        raise bad_request(f"max_new_tokens must be at least 0, got {request.max_tokens}.")
    limit = model_context(served)
    total = input_tokens + (request.max_tokens or 0)
    if input_tokens >= limit or total > limit:
        raise bad_request(
            f"Requested token count exceeds the model's maximum context length of {limit} tokens."
            " You requested"
            f" a total of {total} tokens: {input_tokens} tokens from the input messages and"
            f" {request.max_tokens or 0} tokens for the completion. Please reduce the number of tokens in the"
            " input messages or the completion to fit within the limit."
        )


class SglangMetrics(ClientRegistry):
    """TokenizerMetricsCollector's and SchedulerMetricsCollector's metrics, labelled by model_name."""

    def __init__(self, model_name: str) -> None:
        super().__init__({"model_name": model_name})
        self.prompt_tokens = self.counter("sglang:prompt_tokens_total", "Number of prefill tokens processed.")
        self.generation_tokens = self.counter(
            "sglang:generation_tokens_total", "Number of generation tokens processed."
        )
        self.requests = self.counter("sglang:num_requests_total", "Number of requests processed.")
        self.running = self.gauge("sglang:num_running_reqs", "The number of running requests.")
        self.queued = self.gauge("sglang:num_queue_reqs", "The number of requests in the waiting queue")
        self.token_usage = self.gauge("sglang:token_usage", "The token usage")
        self.ttft = self.histogram(
            "sglang:time_to_first_token_seconds",
            "Histogram of time to first token in seconds.",
            _LATENCY_BUCKETS,
        )
        self.e2e = self.histogram(
            "sglang:e2e_request_latency_seconds",
            "Histogram of End-to-end request latency in seconds",
            _LATENCY_BUCKETS,
        )


class _SglangRecorder(ClientMetricsRecorder):
    def count(self, finish_reason: str, prompt_tokens: int, generated: int) -> None:
        self.metrics.requests.inc()


def _missing(key: str) -> ApiError:
    return bad_request(f"{key}: Field required", param=key)


DIALECT = Dialect(
    engine=SGLANG,
    served_model=repository_name,
    context_length=model_context,
    echoes_model=True,  # responses carry request.model
    default_completion_tokens=16,
    default_temperature=1.0,
    first_delta={"role": "assistant", "content": ""},
    finish_chunk_apart=False,
    new_id=uuid_id,
    extra_fields=lambda served: {},
    bad_request=bad_request,
    wrong_type=_wrong_type,
    missing=_missing,
    includes_usage=lambda options: bool(options.get("include_usage")),
    check_request=check_request,
    record=lambda served: _SglangRecorder(served.metrics),
)


chat_completions, completions = openai_server.handlers(DIALECT)


async def list_models(request: Request, served: Served) -> Response:
    return model_list(served, "sglang")


async def model_info(request: Request, served: Served) -> Response:
    return JSONResponse(
        {
            "model_path": repository_name(served),
            "tokenizer_path": repository_name(served),
            "is_generation": True,
            "preferred_sampling_params": None,
            "weight_version": "default",
        }
    )


def _native_params(sampling: dict[str, Any]) -> GenerationParams:
    temperature = sampling.get("temperature", 1.0)
    stop = sampling.get("stop") or ()
    return GenerationParams(
        max_new_tokens=sampling.get("max_new_tokens", NATIVE_MAX_NEW_TOKENS),
        temperature=None if temperature == 0 else temperature,
        top_p=sampling.get("top_p"),
        top_k=sampling.get("top_k") if sampling.get("top_k", -1) > 0 else None,
        seed=sampling.get("sampling_seed"),
        stop=(stop,) if isinstance(stop, str) else tuple(stop),
        do_sample=temperature != 0,
    )


async def generate(request: Request, served: Served) -> Response:
    """The native ``/generate``: ``{"text", "sampling_params", "stream"}`` answers ``{"text", "meta_info"}``;
    a stream sends the text so far in each event and ends with ``data: [DONE]``."""
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise _missing("text")
    sampling = body.get("sampling_params") or {}
    if not isinstance(sampling, dict):
        raise _wrong_type("sampling_params", sampling, (dict,))
    params = _native_params(sampling)
    prompt = body["text"]
    prompt_tokens = len(await tokenize(served, prompt))
    recorder = _SglangRecorder(served.metrics)
    recorder.started(prompt_tokens, params.max_new_tokens)
    stream = bool(body.get("stream"))
    tokens = stream_tokens(
        await served.engine(), served.repo_id, prompt, params, served.token_latency if stream else 0
    )
    request_id = body.get("rid") or f"{time.time_ns():x}"

    async def answers() -> AsyncIterator[dict[str, Any]]:
        started, count = time.perf_counter(), 0
        text_filter = StopStringFilter(params.stop)
        async for token in tokens:
            count += 1
            recorder.token()
            text_filter.push(token)
            finish = None
            if token.finish_reason == "length":
                finish = {"type": "length", "length": count}
            elif token.finish_reason:
                matched = (
                    token.id
                    if token.finish_reason == "eos_token"
                    else next((stop for stop in params.stop if stop in text_filter.text + token.text), None)
                )
                finish = {"type": "stop", "matched": matched}
            meta = {
                "id": request_id,
                "finish_reason": finish,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": count,
                "cached_tokens": 0,
                "e2e_latency": time.perf_counter() - started,
            }
            if finish:
                recorder.finished(finish["type"], prompt_tokens, count, meta["e2e_latency"])
            if stream or finish:
                yield {"text": text_filter.text, "meta_info": meta}

    if not stream:
        return JSONResponse([answer async for answer in answers()][-1])

    async def events() -> AsyncIterator[bytes]:
        async for answer in answers():
            yield data_event(answer)
        yield DONE

    return event_stream(events())


SERVER = EngineServer(
    name=SGLANG,
    routes={
        "/v1/chat/completions": {"POST": chat_completions},
        "/v1/completions": {"POST": completions},
        "/v1/models": {"GET": list_models},
        "/generate": {"POST": generate},
        "/get_model_info": {"GET": model_info},
        "/health": {"GET": healthy},
        "/health_generate": {"GET": healthy},
        "/metrics": {"GET": metrics},
    },
    render_error=render_error,
    not_found=fastapi_not_found,
    new_metrics=lambda record: SglangMetrics(record.repository),
)
