"""The text-generation-inference routes of a text-generation (or multimodal) endpoint."""

from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim import models
from hubsim.inference import tgi_payloads as payloads
from hubsim.inference.generation import Completion, complete, complete_best_of, replay_tokens, stream_tokens
from hubsim.inference.multimodal import describe, description_tokens, has_images, last_image_and_question
from hubsim.inference.params import (
    GenerateRequest,
    SamplingRequest,
    check_length,
    invalid,
    object_body,
    read_generate_request,
    read_sampling,
    typed_value,
    unreadable,
)
from hubsim.inference.routing import Served
from hubsim.inference.sse import DONE, event_stream, openai_event, tgi_event
from hubsim.models import GeneratedToken
from hubsim.request_context import json_body


async def _body(request: Request) -> Any:
    return await json_body(request, error_type="validation")


async def _tokenize(served: Served, text: str) -> list[tuple[int, str, int, int]]:
    engine = await served.engine()
    return await run_in_threadpool(engine.tokenize, served.repo_id, text)


def _latency(served: Served) -> float:
    return served.sim.settings.token_latency_ms / 1000


# -- /generate, /generate_stream and the compat route -------------------------------------------------------


async def _generate_response(served: Served, request: GenerateRequest) -> dict[str, Any]:
    prefill = await _tokenize(served, request.inputs)
    check_length(len(prefill), request.sampling.max_new_tokens)
    engine, params = await served.engine(), request.sampling.to_params()
    others: list[Completion] = []
    if request.best_of > 1:
        best, others = await complete_best_of(engine, served.repo_id, request.inputs, params, request.best_of)
    else:
        best = await complete(engine, served.repo_id, request.inputs, params)
    served.metrics.tgi_request_input_tokens += len(prefill)
    served.metrics.tgi_request_generated_tokens += len(best.tokens)
    prefix = request.inputs if request.return_full_text else ""
    response: dict[str, Any] = {"generated_text": prefix + payloads.visible_text(best.tokens)}
    if request.details:
        shown_prefill = prefill if request.decoder_input_details else []
        response["details"] = payloads.details_json(best, shown_prefill, request.sampling.samples, others)
    return response


async def _generate_stream_response(served: Served, request: GenerateRequest) -> Response:
    prefill = await _tokenize(served, request.inputs)
    check_length(len(prefill), request.sampling.max_new_tokens)
    engine, params = await served.engine(), request.sampling.to_params()
    served.metrics.tgi_request_input_tokens += len(prefill)
    tokens = stream_tokens(engine, served.repo_id, request.inputs, params, _latency(served))

    async def events() -> AsyncIterator[bytes]:
        seen: list[GeneratedToken] = []
        async for token in tokens:
            seen.append(token)
            served.metrics.tgi_request_generated_tokens += 1
            final_text = final_details = None
            if token.finish_reason:
                prefix = request.inputs if request.return_full_text else ""
                final_text = prefix + payloads.visible_text(seen)
                final_details = {
                    "finish_reason": token.finish_reason,
                    "generated_tokens": len(seen),
                    "seed": params.seed if request.sampling.samples else None,
                    "input_length": len(prefill),
                }
            yield tgi_event(
                payloads.stream_event(
                    token, len(seen) - 1, final_text=final_text, final_details=final_details
                )
            )

    return event_stream(events())


async def generate(request: Request, served: Served) -> Response:
    return JSONResponse(await _generate_response(served, read_generate_request(await _body(request))))


async def generate_stream(request: Request, served: Served) -> Response:
    return await _generate_stream_response(served, read_generate_request(await _body(request)))


async def _compat_request(request: Request) -> tuple[GenerateRequest, bool]:
    body = object_body(await _body(request))
    return read_generate_request(body), bool(typed_value(body, "stream", bool))


async def compat_generate(request: Request, served: Served) -> Response:
    """TGI's ``POST /``: ``{"inputs", "parameters", "stream"}``; answers a list (or a stream)."""
    generate_request, stream = await _compat_request(request)
    if stream:
        return await _generate_stream_response(served, generate_request)
    return JSONResponse([await _generate_response(served, generate_request)])


async def sagemaker_generate(request: Request, served: Served) -> Response:
    """``POST /invocations`` with a generate body: like ``POST /`` but answers one object."""
    generate_request, stream = await _compat_request(request)
    if stream:
        return await _generate_stream_response(served, generate_request)
    return JSONResponse(await _generate_response(served, generate_request))


# -- /v1/chat/completions ---------------------------------------------------------------------------------


def _render_chat(served: Served, messages: list[dict[str, Any]]) -> str:
    try:
        return models.render_chat(served.repo_id, messages, add_generation_prompt=True)
    except models.ChatTemplateError as error:
        raise invalid(f"Template error: {error}") from error


def _messages(served: Served, body: dict[str, Any]) -> list[dict[str, Any]]:
    messages = typed_value(body, "messages", list)
    if not messages or not all(isinstance(message, dict) and "role" in message for message in messages):
        raise unreadable("messages: expected a non-empty list of {role, content} objects")
    if typed_value(body, "tools", list):
        raise invalid("tools are not supported by hubsim's text engine")
    if has_images(messages) and not served.multimodal:
        raise invalid(f"{served.repo_id} is not a multimodal model: it cannot read images")
    return messages


async def _chat_tokens(
    served: Served, messages: list[dict[str, Any]], sampling: SamplingRequest, prompt: str, *, stream: bool
) -> AsyncIterator[GeneratedToken]:
    """The answer's tokens: a description of the image for image questions, the engine's text otherwise."""
    engine = await served.engine()
    if has_images(messages):
        image, question = last_image_and_question(messages)
        description = await run_in_threadpool(describe, image, question)
        tokens = await run_in_threadpool(
            description_tokens, engine, served.repo_id, description, sampling.max_new_tokens
        )
        return replay_tokens(tokens, _latency(served) if stream else 0)
    params = sampling.to_params()
    if stream:
        return stream_tokens(engine, served.repo_id, prompt, params, _latency(served))
    completion = await complete(engine, served.repo_id, prompt, params)
    return replay_tokens(completion.tokens, 0)


async def chat_completions(request: Request, served: Served) -> Response:
    body = object_body(await _body(request))
    messages = _messages(served, body)
    sampling = read_sampling(body, max_tokens_key="max_tokens")
    prompt = _render_chat(served, messages)
    prompt_tokens = len(await _tokenize(served, prompt))
    check_length(prompt_tokens, sampling.max_new_tokens)
    served.metrics.tgi_request_input_tokens += prompt_tokens
    logprobs = bool(typed_value(body, "logprobs", bool))
    stream = bool(typed_value(body, "stream", bool))
    tokens = await _chat_tokens(served, messages, sampling, prompt, stream=stream)
    if not stream:
        collected = [token async for token in tokens]
        served.metrics.tgi_request_generated_tokens += len(collected)
        completion = Completion(collected, None)
        return JSONResponse(
            payloads.chat_completion_json(served.repo_id, completion, prompt_tokens, logprobs=logprobs)
        )
    include_usage = bool((typed_value(body, "stream_options", dict) or {}).get("include_usage"))

    async def events() -> AsyncIterator[bytes]:
        count = 0
        async for token in tokens:
            count += 1
            served.metrics.tgi_request_generated_tokens += 1
            yield openai_event(payloads.chat_chunk_json(served.repo_id, token, logprobs=logprobs))
        if include_usage:
            yield openai_event(payloads.chat_usage_chunk_json(served.repo_id, prompt_tokens, count))
        yield DONE

    return event_stream(events())


async def chat_tokenize(request: Request, served: Served) -> Response:
    body = object_body(await _body(request))
    prompt = _render_chat(served, _messages(served, body))
    pieces = await _tokenize(served, prompt)
    return JSONResponse({"tokenize_response": _simple_tokens(pieces), "templated_text": prompt})


# -- /v1/completions ------------------------------------------------------------------------------------


def _prompts(body: dict[str, Any]) -> list[str]:
    prompt = typed_value(body, "prompt", (str, list))
    prompts = [prompt] if isinstance(prompt, str) else prompt
    if not prompts or not all(isinstance(text, str) and text for text in prompts):
        raise unreadable("prompt: expected a non-empty string or list of strings")
    return prompts


async def completions(request: Request, served: Served) -> Response:
    body = object_body(await _body(request))
    prompts = _prompts(body)
    sampling = read_sampling(body, max_tokens_key="max_tokens")
    engine = await served.engine()
    prompt_tokens = 0
    for prompt in prompts:
        length = len(await _tokenize(served, prompt))
        check_length(length, sampling.max_new_tokens)
        prompt_tokens += length
    served.metrics.tgi_request_input_tokens += prompt_tokens
    if typed_value(body, "stream", bool):
        streams = [
            stream_tokens(engine, served.repo_id, prompt, sampling.to_params(), _latency(served))
            for prompt in prompts
        ]

        async def events() -> AsyncIterator[bytes]:
            for index, tokens in enumerate(streams):
                async for token in tokens:
                    served.metrics.tgi_request_generated_tokens += 1
                    text = "" if token.special else token.text
                    chunk = {"choices": [payloads.completion_choice(index, text, token.finish_reason)]}
                    yield openai_event(
                        {**payloads.openai_envelope("text_completion", served.repo_id), **chunk}
                    )
            yield DONE

        return event_stream(events())
    results = [await complete(engine, served.repo_id, prompt, sampling.to_params()) for prompt in prompts]
    generated = sum(len(result.tokens) for result in results)
    served.metrics.tgi_request_generated_tokens += generated
    return JSONResponse(
        {
            **payloads.openai_envelope("text_completion", served.repo_id),
            "choices": [
                payloads.completion_choice(index, payloads.visible_text(result.tokens), result.finish_reason)
                for index, result in enumerate(results)
            ],
            "usage": payloads.usage_json(prompt_tokens, generated),
        }
    )


# -- model description routes ----------------------------------------------------------------------------


def _simple_tokens(pieces: list[tuple[int, str, int, int]]) -> list[dict[str, Any]]:
    return [
        {"id": token_id, "text": text, "start": start, "stop": stop} for token_id, text, start, stop in pieces
    ]


async def tokenize(request: Request, served: Served) -> Response:
    generate_request = read_generate_request(await _body(request))
    return JSONResponse(_simple_tokens(await _tokenize(served, generate_request.inputs)))


async def info(request: Request, served: Served) -> Response:
    return JSONResponse(
        payloads.info_json(served.repo_id, served.repo.pipeline_tag, served.record.spec["model"]["revision"])
    )


async def list_models(request: Request, served: Served) -> Response:
    owner = served.repo_id.split("/")[0]
    return JSONResponse(
        {"id": served.repo_id, "object": "model", "created": int(served.record.created_at), "owned_by": owner}
    )
