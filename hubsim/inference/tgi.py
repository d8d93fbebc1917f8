"""The text-generation-inference routes (router/src/server.rs of TGI 3.3.7), route by route.

Errors found before a stream starts (an unreadable body, a chat template that fails) answer with their
status; errors ``Validation::validate`` finds in a streaming request answer HTTP 200 with one error event:
``{"error", "error_type"}`` on /generate_stream and ``POST /`` (no ``[DONE]``), ``{"error": {"message",
"http_status_code": 422}}`` followed by ``data: [DONE]`` on the OpenAI-style routes.
"""

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference import tgi_payloads as payloads
from hubsim.inference.chat import answer_tokens, check_images, tokenize
from hubsim.inference.generation import Completion, complete, complete_best_of, stream_tokens
from hubsim.inference.multimodal import ImageInputError
from hubsim.inference.params import (
    GenerateRequest,
    SamplingRequest,
    check_grammar,
    check_length,
    invalid,
    json_body,
    object_body,
    read_generate_request,
    typed_value,
    unreadable,
    validate_generate,
)
from hubsim.inference.routing import Served
from hubsim.inference.sse import DONE, data_event, event_stream
from hubsim.inference.tgi_metrics import TgiMetrics
from hubsim.inference.tgi_requests import (
    ChatRequest,
    check_tools,
    read_chat_request,
    read_completion_request,
)
from hubsim.models import GeneratedToken, GenerationParams
from hubsim.models.sampling import samples


def _metrics(served: Served) -> TgiMetrics:
    assert isinstance(served.metrics, TgiMetrics)
    return served.metrics


def _reported_seed(params: GenerationParams) -> int | None:
    """The Python server reports the seed of a sampled generation only."""
    return params.seed if samples(params) else None


@dataclass(frozen=True)
class Prepared:
    """A validated generation: its prompt tokens and the engine's parameters."""

    prefill: list[tuple[int, str, int, int]]
    params: GenerationParams


async def _validated(
    served: Served, inputs: str, sampling: SamplingRequest, *, add_special_tokens: bool = True
) -> Prepared:
    """``Infer::generate_stream``'s validation: parameters, then the input's length. Counted as a
    ``validation`` failure when it fails."""
    try:
        sampling.validate()
        if not inputs:
            raise invalid("`inputs` cannot be empty")
        prefill = await tokenize(served, inputs, add_special_tokens=add_special_tokens)
        check_length(len(prefill), sampling.max_new_tokens)
        check_grammar(sampling.grammar)
        params = sampling.to_params(len(prefill))
    except ApiError:
        _metrics(served).failure("validation")
        raise
    _metrics(served).validated(len(prefill), params.max_new_tokens)
    return Prepared(prefill, params)


# -- /generate, /generate_stream and the compat route -------------------------------------------------------


async def _generate(served: Served, request: GenerateRequest, *, full_text: bool) -> tuple[dict, dict]:
    """``generate_internal``: the response and its headers."""
    started = time.perf_counter()
    metrics = _metrics(served)
    metrics.request()
    try:
        validate_generate(request)
    except ApiError:
        metrics.failure("validation")
        raise
    prepared = await _validated(served, request.inputs, request.sampling)
    engine = await served.engine()
    others: list[tuple[str, Completion, int | None]] = []
    if request.best_of > 1:
        best, rest = await complete_best_of(
            engine, served.repo_id, request.inputs, prepared.params, request.best_of
        )
        prefix = request.inputs if full_text else ""
        others = [(prefix + payloads.visible_text(other.tokens), other, other.seed) for other in rest]
    else:
        best = await complete(engine, served.repo_id, request.inputs, prepared.params)
    seconds = time.perf_counter() - started
    metrics.success(seconds, len(best.tokens))
    response: dict[str, Any] = {
        "generated_text": (request.inputs if full_text else "") + payloads.visible_text(best.tokens)
    }
    if request.details or request.decoder_input_details:
        prefill = prepared.prefill if request.decoder_input_details else []
        seed = best.seed if samples(prepared.params) else None
        response["details"] = payloads.details_json(best, prefill, seed, others)
    headers = payloads.generate_headers(
        characters=len(request.inputs),
        seconds=seconds,
        input_length=len(prepared.prefill),
        generated=len(best.tokens),
    )
    return response, headers


async def _stream_events(
    served: Served, request: GenerateRequest, *, full_text: bool
) -> AsyncIterator[dict[str, Any] | ApiError]:
    """``generate_stream_internal``: each token's StreamResponse, or the one error that ends the stream."""
    started = time.perf_counter()
    metrics = _metrics(served)
    metrics.request()
    if request.best_of != 1:
        metrics.failure("validation")
        yield invalid("`best_of` != 1 is not supported when streaming tokens")
        return
    if request.decoder_input_details:
        metrics.failure("validation")
        yield invalid("`decoder_input_details` == true is not supported when streaming tokens")
        return
    try:
        prepared = await _validated(served, request.inputs, request.sampling)
    except ApiError as error:
        yield error
        return
    engine = await served.engine()
    seen: list[GeneratedToken] = []
    async for token in stream_tokens(
        engine, served.repo_id, request.inputs, prepared.params, served.token_latency
    ):
        seen.append(token)
        final_text = final_details = None
        if token.finish_reason:
            metrics.success(time.perf_counter() - started, len(seen))
            final_text = (request.inputs if full_text else "") + payloads.visible_text(seen)
            if request.details:
                final_details = {
                    "finish_reason": token.finish_reason,
                    "generated_tokens": len(seen),
                    "seed": _reported_seed(prepared.params),
                    "input_length": len(prepared.prefill),
                }
        # The index counts the stream's responses from 1 (server.rs: `index += 1` before each).
        yield payloads.stream_event(token, len(seen), final_text=final_text, final_details=final_details)


def _generate_stream_response(served: Served, request: GenerateRequest, *, full_text: bool) -> Response:
    async def events() -> AsyncIterator[bytes]:
        async for event in _stream_events(served, request, full_text=full_text):
            if isinstance(event, ApiError):
                yield data_event({"error": event.message, "error_type": event.error_type})
                return
            yield data_event(event)

    return event_stream(events(), payloads.stream_headers(len(request.inputs)))


async def generate(request: Request, served: Served) -> Response:
    generate_request = read_generate_request(await json_body(request))
    full_text = bool(generate_request.return_full_text)
    response, headers = await _generate(served, generate_request, full_text=full_text)
    return JSONResponse(response, headers=headers)


async def generate_stream(request: Request, served: Served) -> Response:
    generate_request = read_generate_request(await json_body(request))
    return _generate_stream_response(
        served, generate_request, full_text=bool(generate_request.return_full_text)
    )


def _compat_full_text(served: Served, generate_request: GenerateRequest) -> bool:
    """``compat_generate``: without ``return_full_text``, a text-generation model returns the prompt too."""
    if generate_request.return_full_text is not None:
        return generate_request.return_full_text
    return served.repo.pipeline_tag == "text-generation"


async def _compat(served: Served, body: dict[str, Any]) -> Response:
    generate_request = read_generate_request(body)
    full_text = _compat_full_text(served, generate_request)
    if typed_value(body, "stream", bool):
        return _generate_stream_response(served, generate_request, full_text=full_text)
    response, headers = await _generate(served, generate_request, full_text=full_text)
    return JSONResponse([response], headers=headers)


async def compat_generate(request: Request, served: Served) -> Response:
    """``POST /``: ``{"inputs", "parameters", "stream"}``; a list of one response, or a stream."""
    return await _compat(served, object_body(await json_body(request)))


# -- /v1/chat/completions ---------------------------------------------------------------------------------


def _render_chat(served: Served, messages: list[dict[str, Any]]) -> str:
    try:
        return models.render_chat(served.repo_id, messages, add_generation_prompt=True)
    except models.ChatTemplateError as error:
        _metrics(served).failure("template")
        raise ApiError(422, f"Template error: {error}", error_type="template_error") from error


def _as_text(message: dict[str, Any]) -> dict[str, Any]:
    """lib.rs's ``From<Message> for TextMessage``: content parts joined into one string, an image written
    as the Markdown ``![](url)``."""
    content = message.get("content")
    if not isinstance(content, list):
        return message
    pieces = [
        part.get("text", "")
        if part.get("type") == "text"
        else f"![]({(part.get('image_url') or {}).get('url')})"
        for part in content
        if isinstance(part, dict)
    ]
    return {**message, "content": "".join(pieces)}


def _prepare_chat(served: Served, chat: ChatRequest) -> ChatRequest:
    """``try_into_generate``: tools and the chat template, before any stream starts. A text model's template
    reads text only, images as Markdown; hubsim gives a multimodal model's template the parts themselves
    (assumed: TGI writes them as Markdown too, and its vision models read the images back out of the text)."""
    check_tools(chat)
    if served.multimodal:
        return chat
    return replace(chat, messages=[_as_text(message) for message in chat.messages])


async def _validated_chat(served: Served, chat: ChatRequest, prompt: str) -> Prepared:
    try:
        check_images(served, chat.messages)
    except ImageInputError as error:
        _metrics(served).failure("validation")
        raise invalid(str(error)) from error
    return await _validated(served, prompt, chat.sampling, add_special_tokens=False)


def _chat_model(served: Served, chat: ChatRequest) -> str:
    """The request's model is echoed back, unless it is "tgi" or missing."""
    return served.repo_id if chat.model in (None, "tgi") else chat.model


async def _chat_answer(served: Served, chat: ChatRequest, prompt: str, prepared: Prepared, *, stream: bool):
    try:
        return await answer_tokens(served, chat.messages, prompt, prepared.params, stream=stream)
    except ImageInputError as error:
        raise invalid(str(error)) from error


async def chat_completions(request: Request, served: Served) -> Response:
    chat = read_chat_request(await json_body(request))
    metrics = _metrics(served)
    metrics.request()
    chat = _prepare_chat(served, chat)
    prompt = _render_chat(served, chat.messages)
    model = _chat_model(served, chat)
    if not chat.stream:
        started = time.perf_counter()
        metrics.request()  # generate_internal counts the request again
        prepared = await _validated_chat(served, chat, prompt)
        collected = [
            token async for token in await _chat_answer(served, chat, prompt, prepared, stream=False)
        ]
        seconds = time.perf_counter() - started
        metrics.success(seconds, len(collected))
        completion = Completion(collected, prepared.params.seed)
        headers = payloads.generate_headers(
            characters=len(prompt),
            seconds=seconds,
            input_length=len(prepared.prefill),
            generated=len(collected),
        )
        answer = payloads.chat_completion_json(
            model, completion, len(prepared.prefill), logprobs=chat.logprobs
        )
        return JSONResponse(answer, headers=headers)

    async def events() -> AsyncIterator[bytes]:
        started = time.perf_counter()
        metrics.request()  # generate_stream_internal counts the request again
        try:
            prepared = await _validated_chat(served, chat, prompt)
            tokens = await _chat_answer(served, chat, prompt, prepared, stream=True)
        except ApiError as error:
            yield data_event({"error": {"message": error.message, "http_status_code": 422}})
            yield DONE
            return
        count = 0
        async for token in tokens:
            count += 1
            yield data_event(payloads.chat_chunk_json(model, token, logprobs=chat.logprobs))
            if token.finish_reason:
                metrics.success(time.perf_counter() - started, count)
                if chat.include_usage:
                    yield data_event(payloads.chat_usage_chunk_json(model, len(prepared.prefill), count))
        yield DONE

    return event_stream(events(), payloads.stream_headers(len(prompt)))


async def chat_tokenize(request: Request, served: Served) -> Response:
    chat = read_chat_request(await json_body(request))
    _metrics(served).request()
    prompt = _render_chat(served, _prepare_chat(served, chat).messages)
    pieces = await tokenize(served, prompt, add_special_tokens=False)
    return JSONResponse({"tokenize_response": _simple_tokens(pieces), "templated_text": prompt})


# -- /v1/completions ------------------------------------------------------------------------------------


async def completions(request: Request, served: Served) -> Response:
    completion_request = read_completion_request(await json_body(request))
    metrics = _metrics(served)
    metrics.request()
    sampling = completion_request.sampling
    if completion_request.stream:
        return _completion_stream(served, completion_request.prompts, sampling)
    results, prompt_tokens = [], 0
    started = time.perf_counter()
    for prompt in completion_request.prompts:
        metrics.request()  # each prompt's generate_internal counts it again
        prepared = await _validated(served, prompt, sampling)
        result = await complete(await served.engine(), served.repo_id, prompt, prepared.params)
        metrics.success(time.perf_counter() - started, len(result.tokens))
        results.append(result)
        prompt_tokens += len(prepared.prefill)
    generated = sum(len(result.tokens) for result in results)
    choices = [
        payloads.completion_choice(
            index, payloads.visible_text(result.tokens), payloads.openai_finish_reason(result.finish_reason)
        )
        for index, result in enumerate(results)
    ]
    answer = {
        **payloads.openai_envelope("text_completion", served.repo_id),
        "choices": choices,
        "usage": payloads.usage_json(prompt_tokens, generated),
    }
    headers = payloads.generate_headers(
        characters=sum(map(len, completion_request.prompts)),
        seconds=time.perf_counter() - started,
        input_length=prompt_tokens,
        generated=generated,
    )
    del headers["x-compute-time"]  # completions adds up every header but this one
    return JSONResponse(answer, headers=headers)


def _completion_stream(served: Served, prompts: list[str], sampling: SamplingRequest) -> Response:
    """Each prompt's chunks (this stream sends them one prompt after the other), then ``[DONE]``. The last
    chunk of a prompt carries its usage and its finish reason as the stream names it ("eos_token")."""
    metrics = _metrics(served)

    async def events() -> AsyncIterator[bytes]:
        for index, prompt in enumerate(prompts):
            started = time.perf_counter()
            metrics.request()
            try:
                prepared = await _validated(served, prompt, sampling)
            except ApiError as error:
                yield data_event({"error": {"message": error.message, "http_status_code": 422}})
                continue
            engine = await served.engine()
            count = 0
            async for token in stream_tokens(
                engine, served.repo_id, prompt, prepared.params, served.token_latency
            ):
                count += 1
                envelope = payloads.openai_envelope("text_completion", served.repo_id)
                choice = payloads.completion_choice(index, token.text, token.finish_reason or "")
                chunk: dict[str, Any] = {**envelope, "choices": [choice]}
                if token.finish_reason:
                    metrics.success(time.perf_counter() - started, count)
                    chunk["usage"] = payloads.usage_json(len(prepared.prefill), count)
                yield data_event(chunk)
        yield DONE

    return event_stream(events(), payloads.stream_headers(sum(map(len, prompts))))


# -- SageMaker's route ------------------------------------------------------------------------------------


async def invocations(request: Request, served: Served) -> Response:
    """``SagemakerRequest`` is an untagged enum: a generate request (``inputs``), else a chat request
    (``messages``), else a completion request (``prompt``)."""
    body = object_body(await json_body(request))
    if isinstance(body.get("inputs"), str):
        return await _compat(served, body)
    if "messages" in body:
        return await chat_completions(request, served)
    if "prompt" in body:
        return await completions(request, served)
    raise unreadable("data did not match any variant of untagged enum SagemakerRequest")


# -- model description routes ----------------------------------------------------------------------------


def _simple_tokens(pieces: list[tuple[int, str, int, int]]) -> list[dict[str, Any]]:
    return [
        {"id": token_id, "text": text, "start": start, "stop": stop} for token_id, text, start, stop in pieces
    ]


async def tokenize_route(request: Request, served: Served) -> Response:
    generate_request = read_generate_request(await json_body(request))
    return JSONResponse(_simple_tokens(await tokenize(served, generate_request.inputs)))


async def info(request: Request, served: Served) -> Response:
    return JSONResponse(
        payloads.info_json(served.repo_id, served.repo.pipeline_tag, served.record.spec["model"]["revision"])
    )


async def list_models(request: Request, served: Served) -> Response:
    return JSONResponse(payloads.models_json(served.repo_id))
