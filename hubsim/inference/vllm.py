"""vLLM's OpenAI-compatible server (vllm/entrypoints/openai, main as of 2026: errors as
``{"error": {"message", "type", "param", "code"}}``; metrics of vllm/v1/metrics/loggers.py).

Routes: /v1/chat/completions, /v1/completions, /v1/models, /tokenize, /detokenize, /version, /health,
/metrics. A request naming another model than the served one answers 404 "The model `x` does not exist.";
invalid sampling parameters answer 400 ``BadRequestError`` with the parameter; a body pydantic cannot read
answers 400 "Bad Request"; an unknown path answers FastAPI's ``{"detail": "Not Found"}``.
"""

from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference import openai_server
from hubsim.inference.chat import tokenize
from hubsim.inference.common_routes import fastapi_not_found, healthy, metrics
from hubsim.inference.engines import VLLM
from hubsim.inference.metrics import ClientRegistry
from hubsim.inference.openai_requests import OpenAiRequest
from hubsim.inference.openai_server import (
    ClientMetricsRecorder,
    Dialect,
    OpenAiError,
    bad_request,
    model_context,
    model_list,
    repository_name,
    uuid_id,
)
from hubsim.inference.routing import EngineServer, Served
from hubsim.request_context import json_body

# The release hubsim reports at /version (assumed: the image tag an endpoint gets is not public).
VLLM_VERSION = "0.11.0"
_LATENCY_BUCKETS = (0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0)
_TTFT_BUCKETS = (0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
_TOKEN_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)  # build_1_2_5_buckets(max_model_len)


def render_error(failure: ApiError) -> Response:
    param = failure.param if isinstance(failure, OpenAiError) else None
    body = {
        "error": {
            "message": failure.message,
            "type": failure.error_type or HTTPStatus(failure.status).phrase,
            "param": param,
            "code": failure.status,
        }
    }
    return JSONResponse(body, status_code=failure.status)


def _wrong_type(key: str, value: Any, kinds: tuple[type, ...]) -> Any:
    expected = " or ".join(kind.__name__ for kind in kinds)
    # FastAPI's RequestValidationError, which vLLM words as str(exc): pydantic's error list.
    detail = (
        f"[{{'type': '{expected}_type', 'loc': ('body', '{key}'),"
        f" 'msg': 'Input should be a valid {expected}', 'input': {value!r}}}]"
    )
    raise bad_request(detail, kind=HTTPStatus.BAD_REQUEST.phrase)


def _missing(key: str) -> ApiError:
    detail = f"[{{'type': 'missing', 'loc': ('body', '{key}'), 'msg': 'Field required', 'input': None}}]"
    return bad_request(detail, kind=HTTPStatus.BAD_REQUEST.phrase)


def check_request(served: Served, request: OpenAiRequest, input_tokens: int) -> None:
    """``_check_model``, SamplingParams._verify_args, then ``_validate_input``'s context checks."""
    if request.model and request.model != repository_name(served):
        raise bad_request(
            f"The model `{request.model}` does not exist.", status=404, kind="NotFoundError", param="model"
        )
    checks = [
        (
            request.temperature is not None and request.temperature < 0,
            "temperature",
            "temperature must be non-negative, got {}.",
        ),
        (
            request.top_p is not None and not 0 < request.top_p <= 1,
            "top_p",
            "top_p must be in (0, 1], got {}.",
        ),
        (
            request.top_k is not None and request.top_k < -1,
            "top_k",
            "top_k must be 0 (disable), or at least 1, got {}.",
        ),
        (
            request.max_tokens is not None and request.max_tokens < 1,
            "max_tokens",
            "max_tokens must be at least 1, got {}.",
        ),
        (
            request.repetition_penalty is not None and request.repetition_penalty <= 0,
            "repetition_penalty",
            "repetition_penalty must be greater than zero, got {}.",
        ),
    ]
    for failed, param, message in checks:
        if failed:
            raise bad_request(message.format(getattr(request, param)), param=param)
    limit = model_context(served)
    if input_tokens >= limit:
        raise bad_request(
            f"This model's maximum context length is {limit} tokens. However, your request has {input_tokens}"
            " input tokens. Please reduce the length of the input messages.",
            param="input_tokens",
        )
    if request.max_tokens is not None and input_tokens + request.max_tokens > limit:
        raise bad_request(
            f"'max_tokens' or 'max_completion_tokens' is too large: {request.max_tokens}."
            f" This model's maximum context length is {limit} tokens"
            f" and your request has {input_tokens} input tokens"
            f" ({request.max_tokens} > {limit} - {input_tokens}).",
            param="max_tokens",
        )


class VllmMetrics(ClientRegistry):
    """The core of PrometheusStatLogger's metrics, labelled by model_name and engine as vLLM labels them."""

    def __init__(self, model_name: str) -> None:
        super().__init__({"model_name": model_name, "engine": "0"})
        self.running = self.gauge(
            "vllm:num_requests_running", "Number of requests in model execution batches."
        )
        self.waiting = self.gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.")
        self.kv_cache = self.gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.")
        self.prompt_tokens = self.counter("vllm:prompt_tokens", "Number of prefill tokens processed.")
        self.generation_tokens = self.counter(
            "vllm:generation_tokens", "Number of generation tokens processed."
        )
        self.success = self.counters(
            "vllm:request_success",
            "Count of successfully processed requests.",
            "finished_reason",
            ("stop", "length", "abort"),
        )
        self.request_prompt_tokens = self.histogram(
            "vllm:request_prompt_tokens", "Number of prefill tokens processed.", _TOKEN_BUCKETS
        )
        self.request_generation_tokens = self.histogram(
            "vllm:request_generation_tokens", "Number of generation tokens processed.", _TOKEN_BUCKETS
        )
        self.max_tokens = self.histogram(
            "vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter.", _TOKEN_BUCKETS
        )
        self.e2e = self.histogram(
            "vllm:e2e_request_latency_seconds",
            "Histogram of e2e request latency in seconds.",
            _LATENCY_BUCKETS,
        )
        self.ttft = self.histogram(
            "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", _TTFT_BUCKETS
        )


class _VllmRecorder(ClientMetricsRecorder):
    def started(self, prompt_tokens: int, max_tokens: int) -> None:
        super().started(prompt_tokens, max_tokens)
        self.metrics.max_tokens.observe(max_tokens)

    def count(self, finish_reason: str, prompt_tokens: int, generated: int) -> None:
        self.metrics.success[finish_reason].inc()
        self.metrics.request_prompt_tokens.observe(prompt_tokens)
        self.metrics.request_generation_tokens.observe(generated)


DIALECT = Dialect(
    engine=VLLM,
    served_model=repository_name,
    context_length=model_context,
    echoes_model=False,
    default_completion_tokens=16,  # CompletionRequest.max_tokens defaults to 16, as OpenAI's legacy API
    default_temperature=1.0,  # without a generation_config.json that says otherwise
    first_delta={"role": "assistant", "content": ""},
    finish_chunk_apart=False,
    new_id=uuid_id,
    extra_fields=lambda served: {},
    bad_request=bad_request,
    wrong_type=_wrong_type,
    missing=_missing,
    # StreamOptions.include_usage defaults to True once stream_options is sent.
    includes_usage=lambda options: bool(options) and options.get("include_usage", True) is not False,
    check_request=check_request,
    record=lambda served: _VllmRecorder(served.metrics),
)


chat_completions, completions = openai_server.handlers(DIALECT)


async def list_models(request: Request, served: Served) -> Response:
    return model_list(served, "vllm", parent=None, permission=[])


async def tokenize_route(request: Request, served: Served) -> Response:
    """``/tokenize``: a prompt, or chat messages through the chat template."""
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("prompt", body.get("messages")), str | list):
        raise _missing("prompt")
    model = body.get("model")
    if model and model != repository_name(served):
        raise bad_request(
            f"The model `{model}` does not exist.", status=404, kind="NotFoundError", param="model"
        )
    if "messages" in body:
        generation_prompt = bool(body.get("add_generation_prompt", True))
        try:
            text = models.render_chat(served.repo_id, body["messages"], generation_prompt)
        except models.ChatTemplateError as failure:
            raise bad_request(str(failure)) from failure
    else:
        text = body["prompt"]
    add_special_tokens = bool(body.get("add_special_tokens", "messages" not in body))
    pieces = await tokenize(served, text, add_special_tokens=add_special_tokens)
    ids = [token_id for token_id, *_ in pieces]
    strings = [piece for _, piece, *_ in pieces] if body.get("return_token_strs") else None
    answer = {
        "count": len(ids),
        "max_model_len": model_context(served),
        "tokens": ids,
        "token_strs": strings,
    }
    return JSONResponse(answer)


async def detokenize(request: Request, served: Served) -> Response:
    body = await json_body(request)
    tokens = body.get("tokens") if isinstance(body, dict) else None
    if not isinstance(tokens, list) or not all(isinstance(token, int) for token in tokens):
        raise _missing("tokens")
    text = models.detokenize(served.repo_id, tokens)
    return JSONResponse({"prompt": text})


async def version(request: Request, served: Served) -> Response:
    return JSONResponse({"version": VLLM_VERSION})


SERVER = EngineServer(
    name=VLLM,
    routes={
        "/v1/chat/completions": {"POST": chat_completions},
        "/v1/completions": {"POST": completions},
        "/v1/models": {"GET": list_models},
        "/tokenize": {"POST": tokenize_route},
        "/detokenize": {"POST": detokenize},
        "/version": {"GET": version},
        "/health": {"GET": healthy},
        "/ping": {"GET": healthy, "POST": healthy},
        "/metrics": {"GET": metrics},
    },
    render_error=render_error,
    not_found=fastapi_not_found,
    new_metrics=lambda record: VllmMetrics(record.repository),
)
