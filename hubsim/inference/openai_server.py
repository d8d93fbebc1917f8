"""The OpenAI-compatible server that vLLM, SGLang and llama.cpp each run: /v1/chat/completions,
/v1/completions and /v1/models, with each engine's differences in a ``Dialect``.

Common to the three (their sources, see the README): streams are ``data: {json}`` events ending with
``data: [DONE]``; the first chat chunk carries the assistant role; finish reasons are "stop" (end of
sequence or a stop string) and "length"; a stop string is cut from the answer, and a stream holds back the
characters that could begin one; ``stream_options.include_usage`` adds a last chunk with empty ``choices``
and the usage.
"""

import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference import engines
from hubsim.inference.chat import answer_tokens, check_images, tokenize
from hubsim.inference.generation import stream_tokens
from hubsim.inference.multimodal import ImageInputError
from hubsim.inference.openai_requests import OpenAiRequest, read_request
from hubsim.inference.routing import Handler, Served
from hubsim.inference.sse import DONE, data_event, event_stream
from hubsim.models import GeneratedToken, GenerationParams
from hubsim.request_context import json_body


class OpenAiError(ApiError):
    """An OpenAI-compatible engine's error: its type ("BadRequestError" ...) and the parameter at fault."""

    def __init__(
        self, status: int, message: str, kind: str, param: str | None = None, **extra: object
    ) -> None:
        super().__init__(status, message, error_type=kind)
        self.param = param
        self.extra = extra  # fields some engines add to an error (llama.cpp's n_prompt_tokens ...)


def bad_request(
    message: str, param: str | None = None, *, status: int = 400, kind: str = "BadRequestError"
) -> ApiError:
    """vLLM's and SGLang's ``create_error_response`` defaults."""
    return OpenAiError(status, message, kind, param)


def repository_name(served: Served) -> str:
    """The name vLLM and SGLang serve the model under. Assumed: the repository id (Inference Endpoints does
    not say which ``--served-model-name`` it passes)."""
    return served.repo_id


def model_list(served: Served, owned_by: str, **extra: Any) -> Response:
    """``/v1/models``: the served model as vLLM's and SGLang's ModelCard list it."""
    name = repository_name(served)
    card = {"id": name, "object": "model", "created": int(time.time()), "owned_by": owned_by, "root": name}
    return JSONResponse(
        {"object": "list", "data": [{**card, **extra, "max_model_len": model_context(served)}]}
    )


# The flag each engine takes its context length from, in the container arguments (`model.args`): vLLM's
# `EngineArgs.max_model_len` (vllm/engine/arg_utils.py), SGLang's `ServerArgs.context_length`
# (python/sglang/srt/server_args.py). Without it, both derive it from config.json's max_position_embeddings.
CONTEXT_FLAGS = {engines.VLLM: "--max-model-len", engines.SGLANG: "--context-length"}


def model_context(served: Served) -> int:
    """The context length the server runs with: its flag's, else the model's (config.json)."""
    spec = served.record.spec
    configured = _flag_value(spec["model"].get("args") or [], CONTEXT_FLAGS.get(engines.engine_of(spec)))
    return configured or models.text_family(served.repo_id).context_length


def _flag_value(args: list[str], flag: str | None) -> int | None:
    """A whole number given as `--flag N` or `--flag=N` (argparse's two spellings)."""
    for index, arg in enumerate(args):
        name, equals, value = str(arg).partition("=")
        if name != flag:
            continue
        value = value if equals else (str(args[index + 1]) if index + 1 < len(args) else "")
        return int(value) if value.isdigit() else None
    return None


@dataclass(frozen=True)
class Dialect:
    """How one engine's OpenAI-compatible server differs from the others."""

    engine: str
    served_model: Callable[[Served], str]
    context_length: Callable[[Served], int]
    # The model a response names: the served name (vLLM) or the request's own ``model`` (SGLang, llama.cpp).
    echoes_model: bool
    # None: a completion without max_tokens runs until the end of the context.
    default_completion_tokens: int | None
    default_temperature: float
    first_delta: dict[str, Any]
    # llama.cpp and SGLang end a chat stream with a chunk of its own (empty delta, the finish reason); vLLM
    # puts the finish reason on the chunk of the last token.
    finish_chunk_apart: bool
    new_id: Callable[[bool], str]  # a response id, for a chat (True) or a completion
    extra_fields: Callable[[Served], dict[str, Any]]  # e.g. system_fingerprint
    bad_request: Callable[[str, str | None], ApiError]  # message, param
    wrong_type: Callable[[str, Any, tuple[type, ...]], Any]  # refuse, or fall back to a default (llama.cpp)
    missing: Callable[[str], ApiError]
    includes_usage: Callable[[dict[str, Any]], bool]
    check_request: Callable[[Served, OpenAiRequest, int], None]  # input length and model checks
    record: Callable[[Served], "Recorder"]


class Recorder:
    """What an engine's metrics hear of a generation."""

    def started(self, prompt_tokens: int, max_tokens: int) -> None: ...

    def token(self) -> None: ...

    def finished(self, finish_reason: str, prompt_tokens: int, generated: int, seconds: float) -> None: ...

    def failed(self) -> None: ...


class ClientMetricsRecorder(Recorder):
    """For prometheus_client metrics (vLLM, SGLang) with ``running``, ``prompt_tokens``,
    ``generation_tokens``, ``ttft`` and ``e2e``; subclasses add their engine's own counts in ``count``."""

    def __init__(self, metrics: Any) -> None:
        self.metrics = metrics
        self._started = time.perf_counter()
        self._first_token = True

    def started(self, prompt_tokens: int, max_tokens: int) -> None:
        self.metrics.running.inc()
        self.metrics.prompt_tokens.inc(prompt_tokens)

    def token(self) -> None:
        self.metrics.generation_tokens.inc()
        if self._first_token:
            self._first_token = False
            self.metrics.ttft.observe(time.perf_counter() - self._started)

    def finished(self, finish_reason: str, prompt_tokens: int, generated: int, seconds: float) -> None:
        self.metrics.running.dec()
        self.metrics.e2e.observe(seconds)
        self.count(finish_reason, prompt_tokens, generated)

    def count(self, finish_reason: str, prompt_tokens: int, generated: int) -> None: ...

    def failed(self) -> None:
        self.metrics.running.dec()


def _finish_reason(token: GeneratedToken) -> str:
    return "length" if token.finish_reason == "length" else "stop"


class StopStringFilter:
    """Text as the engine lets it out: never a stop string, and (while streaming) never the characters that
    could begin one, until the next token shows whether they do."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self._stops = stops
        self._holdback = max((len(stop) for stop in stops), default=1) - 1
        self._text = ""
        self._sent = 0

    def push(self, token: GeneratedToken) -> str:
        self._text += "" if token.special else token.text
        if token.finish_reason == "stop_sequence":
            cut = min((self._text.find(stop) for stop in self._stops if stop in self._text), default=-1)
            self._text = self._text[:cut] if cut >= 0 else self._text
            return self._release(len(self._text))
        if token.finish_reason:
            return self._release(len(self._text))
        return self._release(max(self._sent, len(self._text) - self._holdback))

    def _release(self, upto: int) -> str:
        piece, self._sent = self._text[self._sent : upto], upto
        return piece

    @property
    def text(self) -> str:
        return self._text


def _params(
    dialect: Dialect, request: OpenAiRequest, *, chat: bool, input_length: int, context: int
) -> GenerationParams:
    max_tokens = request.max_tokens
    if max_tokens is None and not chat:
        max_tokens = dialect.default_completion_tokens
    temperature = dialect.default_temperature if request.temperature is None else request.temperature
    return GenerationParams(
        max_new_tokens=max_tokens if max_tokens is not None else max(context - input_length, 1),
        temperature=None if temperature == 0 else temperature,
        top_p=request.top_p,
        top_k=request.top_k if request.top_k and request.top_k > 0 else None,
        repetition_penalty=request.repetition_penalty,
        seed=request.seed,
        stop=request.stop,
        do_sample=temperature != 0,
        top_n_tokens=request.top_logprobs if request.logprobs else 0,
    )


def _logprobs_json(tokens: list[GeneratedToken]) -> dict[str, Any]:
    return {
        "content": [
            {
                "token": token.text,
                "logprob": token.logprob,
                "bytes": list(token.text.encode()),
                "top_logprobs": [
                    # vLLM's serving_chat: an impossible token's -inf becomes -9999.0, which JSON can carry.
                    {"token": text, "logprob": max(value, -9999.0), "bytes": list(text.encode())}
                    for _, text, value in token.top_tokens
                ],
            }
            for token in tokens
        ]
    }


def uuid_id(chat: bool) -> str:
    """vLLM's and SGLang's ids: a prefix and a random UUID."""
    return ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex


def usage_json(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "completion_tokens": completion_tokens,
    }


@dataclass(frozen=True)
class _Context:
    dialect: Dialect
    served: Served
    request: OpenAiRequest
    model: str
    response_id: str
    created: int
    prompt_tokens: int

    def envelope(self, obj: str) -> dict[str, Any]:
        return {
            "id": self.response_id,
            "object": obj,
            "created": self.created,
            "model": self.model,
            **self.dialect.extra_fields(self.served),
        }


async def _prepare(
    dialect: Dialect, served: Served, request: OpenAiRequest, prompt: str, *, chat: bool
) -> tuple[_Context, GenerationParams]:
    prompt_tokens = len(await tokenize(served, prompt, add_special_tokens=not chat))
    dialect.check_request(served, request, prompt_tokens)
    params = _params(
        dialect, request, chat=chat, input_length=prompt_tokens, context=dialect.context_length(served)
    )
    model = request.model if dialect.echoes_model and request.model else dialect.served_model(served)
    context = _Context(
        dialect,
        served,
        request,
        model,
        dialect.new_id(chat),
        int(time.time()),
        prompt_tokens,
    )
    return context, params


# -- chat completions ----------------------------------------------------------------------------------


def _render(dialect: Dialect, served: Served, messages: list[dict[str, Any]]) -> str:
    try:
        check_images(served, messages)
        return models.render_chat(served.repo_id, messages, add_generation_prompt=True)
    except (models.ChatTemplateError, ImageInputError) as error:
        raise dialect.bad_request(str(error), None) from error


async def chat_completions(dialect: Dialect, request: Request, served: Served) -> Response:
    chat = read_request(dialect, await json_body(request), chat=True)
    assert chat.messages is not None
    prompt = _render(dialect, served, chat.messages)
    context, params = await _prepare(dialect, served, chat, prompt, chat=True)
    recorder = dialect.record(served)
    recorder.started(context.prompt_tokens, params.max_new_tokens)
    try:
        tokens = await answer_tokens(served, chat.messages, prompt, params, stream=chat.stream)
    except ImageInputError as error:
        recorder.failed()
        raise dialect.bad_request(str(error), None) from error
    if chat.stream:
        return event_stream(_chat_events(context, tokens, recorder))
    started = time.perf_counter()
    collected = [token async for token in tokens]
    text_filter = StopStringFilter(params.stop)
    for token in collected:
        recorder.token()
        text_filter.push(token)
    finish = _finish_reason(collected[-1])
    recorder.finished(finish, context.prompt_tokens, len(collected), time.perf_counter() - started)
    choice: dict[str, Any] = {
        "index": 0,
        "message": {"role": "assistant", "content": text_filter.text},
        "logprobs": _logprobs_json(collected) if chat.logprobs else None,
        "finish_reason": finish,
    }
    return JSONResponse(
        {
            **context.envelope("chat.completion"),
            "choices": [choice],
            "usage": usage_json(context.prompt_tokens, len(collected)),
        }
    )


def _ending(context: _Context, obj: str, generated: int) -> list[bytes]:
    """A stream's last events: the usage chunk (empty ``choices``) when asked for, then ``[DONE]``."""
    if not context.request.include_usage:
        return [DONE]
    usage = usage_json(context.prompt_tokens, generated)
    return [data_event({**context.envelope(obj), "choices": [], "usage": usage}), DONE]


def handlers(dialect: Dialect) -> tuple[Handler, Handler]:
    """The engine's /v1/chat/completions and /v1/completions handlers."""

    async def chat(request: Request, served: Served) -> Response:
        return await chat_completions(dialect, request, served)

    async def complete(request: Request, served: Served) -> Response:
        return await completions(dialect, request, served)

    return chat, complete


def _chat_chunk(context: _Context, delta: dict[str, Any], finish: str | None, logprobs: Any = None) -> bytes:
    choice = {"index": 0, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
    return data_event({**context.envelope("chat.completion.chunk"), "choices": [choice]})


async def _chat_events(
    context: _Context, tokens: AsyncIterator[GeneratedToken], recorder: Recorder
) -> AsyncIterator[bytes]:
    started = time.perf_counter()
    text_filter = StopStringFilter(context.request.stop)
    count, finish = 0, "abort"  # a client that goes away aborts the request
    try:
        yield _chat_chunk(context, context.dialect.first_delta, None)
        async for token in tokens:
            count += 1
            recorder.token()
            piece = text_filter.push(token)
            logprobs = _logprobs_json([token]) if context.request.logprobs else None
            if not token.finish_reason:
                if piece:
                    yield _chat_chunk(context, {"content": piece}, None, logprobs)
                continue
            finish = _finish_reason(token)
            if context.dialect.finish_chunk_apart:
                if piece:
                    yield _chat_chunk(context, {"content": piece}, None, logprobs)
                yield _chat_chunk(context, {}, finish)
            else:
                yield _chat_chunk(context, {"content": piece}, finish, logprobs)
        for event in _ending(context, "chat.completion.chunk", count):
            yield event
    finally:
        recorder.finished(finish, context.prompt_tokens, count, time.perf_counter() - started)


# -- completions ----------------------------------------------------------------------------------------


async def completions(dialect: Dialect, request: Request, served: Served) -> Response:
    completion = read_request(dialect, await json_body(request), chat=False)
    assert completion.prompts is not None
    if len(completion.prompts) > 1:
        raise dialect.bad_request("hubsim's text engine completes one prompt per request", "prompt")
    prompt = completion.prompts[0]
    context, params = await _prepare(dialect, served, completion, prompt, chat=False)
    recorder = dialect.record(served)
    recorder.started(context.prompt_tokens, params.max_new_tokens)
    engine = await served.engine()
    tokens = stream_tokens(
        engine, served.repo_id, prompt, params, served.token_latency if completion.stream else 0
    )
    if completion.stream:
        return event_stream(_completion_events(context, tokens, recorder))
    started = time.perf_counter()
    text_filter = StopStringFilter(params.stop)
    collected = []
    async for token in tokens:
        collected.append(token)
        recorder.token()
        text_filter.push(token)
    finish = _finish_reason(collected[-1])
    recorder.finished(finish, context.prompt_tokens, len(collected), time.perf_counter() - started)
    choice = {
        "index": 0,
        "text": (prompt if completion.echo else "") + text_filter.text,
        "logprobs": None,
        "finish_reason": finish,
    }
    return JSONResponse(
        {
            **context.envelope("text_completion"),
            "choices": [choice],
            "usage": usage_json(context.prompt_tokens, len(collected)),
        }
    )


async def _completion_events(
    context: _Context, tokens: AsyncIterator[GeneratedToken], recorder: Recorder
) -> AsyncIterator[bytes]:
    started = time.perf_counter()
    text_filter = StopStringFilter(context.request.stop)
    count, finish = 0, "abort"
    try:
        async for token in tokens:
            count += 1
            recorder.token()
            piece = text_filter.push(token)
            finish_reason = _finish_reason(token) if token.finish_reason else None
            finish = finish_reason or finish
            if piece or finish_reason:
                choice = {"index": 0, "text": piece, "logprobs": None, "finish_reason": finish_reason}
                yield data_event({**context.envelope("text_completion"), "choices": [choice]})
        for event in _ending(context, "text_completion", count):
            yield event
    finally:
        recorder.finished(finish, context.prompt_tokens, count, time.perf_counter() - started)
