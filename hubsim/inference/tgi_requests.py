"""TGI's OpenAI-style requests (ChatRequest, CompletionRequest) turned into its generate parameters, as
``ChatRequest::try_into_generate`` and ``completions`` in router/src (3.3.7) do.

Both sample unless ``temperature`` is 0 (greedy); ``top_k`` is not a field of either and is ignored, as
unknown fields are; a chat's ``presence_penalty`` becomes ``repetition_penalty = presence_penalty + 2``.
"""

from dataclasses import dataclass, replace
from typing import Any

from hubsim.errors import ApiError
from hubsim.inference.params import (
    MAX_CLIENT_BATCH_SIZE,
    SamplingRequest,
    object_body,
    string_list,
    typed_value,
    unreadable,
    unsigned,
)


def _openai_sampling(body: dict[str, Any], max_tokens: int | None) -> SamplingRequest:
    temperature = typed_value(body, "temperature", (int, float))
    greedy = temperature == 0
    return SamplingRequest(
        max_new_tokens=max_tokens,
        temperature=None if greedy else temperature,
        top_p=typed_value(body, "top_p", (int, float)),
        repetition_penalty=typed_value(body, "repetition_penalty", (int, float)),
        frequency_penalty=typed_value(body, "frequency_penalty", (int, float)),
        seed=unsigned(body, "seed"),
        stop=tuple(string_list(body, "stop")),
        do_sample=not greedy,
    )


@dataclass(frozen=True)
class ChatRequest:
    messages: list[dict[str, Any]]
    model: str | None
    sampling: SamplingRequest
    stream: bool
    include_usage: bool
    logprobs: bool
    tools: list | None
    response_format: Any


def read_chat_request(body: Any) -> ChatRequest:
    body = object_body(body)
    messages = typed_value(body, "messages", list)
    if messages is None:
        raise unreadable("missing field `messages`")
    if not all(isinstance(message, dict) and isinstance(message.get("role"), str) for message in messages):
        raise unreadable("messages: each message needs a string `role`")
    max_tokens = unsigned(body, "max_tokens")
    if max_tokens is None:
        max_tokens = unsigned(body, "max_completion_tokens")
    sampling = _openai_sampling(body, max_tokens)
    presence_penalty = typed_value(body, "presence_penalty", (int, float))
    top_logprobs = unsigned(body, "top_logprobs")
    stream_options = typed_value(body, "stream_options", dict) or {}
    response_format = typed_value(body, "response_format", dict)
    tools = typed_value(body, "tools", list)
    return ChatRequest(
        messages=messages,
        model=typed_value(body, "model", str),
        sampling=replace(
            sampling,
            repetition_penalty=None if presence_penalty is None else presence_penalty + 2,
            top_n_tokens=top_logprobs,
            grammar=response_format,
        ),
        stream=bool(typed_value(body, "stream", bool)),
        include_usage=bool(typed_value(stream_options, "include_usage", bool)),
        logprobs=bool(typed_value(body, "logprobs", bool)),
        tools=tools,
        response_format=response_format,
    )


def check_tools(chat: ChatRequest) -> None:
    """Tools are refused: TGI honours them with a grammar; hubsim's engine cannot (a hubsim limitation)."""
    if chat.response_format is not None and chat.tools:
        raise ApiError(422, "Tool error: Grammar and tools are mutually exclusive", error_type="tool_error")
    if chat.tools:
        raise ApiError(422, "Tool error: hubsim's text engine does not call tools", error_type="tool_error")


@dataclass(frozen=True)
class CompletionRequest:
    prompts: list[str]
    sampling: SamplingRequest
    stream: bool


def read_completion_request(body: Any) -> CompletionRequest:
    body = object_body(body)
    prompt = body.get("prompt")
    if prompt is None:
        raise unreadable("missing field `prompt`")
    if isinstance(prompt, list) and not prompt:
        raise unreadable("Empty array detected. Do not use an empty array for the prompt.")
    prompts = [prompt] if isinstance(prompt, str) else prompt
    if not isinstance(prompts, list) or not all(isinstance(text, str) for text in prompts):
        raise unreadable("prompt: data did not match any variant of untagged enum PromptDeserializer")
    if body.get("suffix") is not None:
        raise ApiError(
            422,
            "Suffix is not supported and can be achieved by preprocessing the prompt.",
            error_type="suffix not supported",
        )
    if len(prompts) > MAX_CLIENT_BATCH_SIZE:
        raise ApiError(
            422,
            f"Number of prompts exceeds the maximum allowed batch size of {MAX_CLIENT_BATCH_SIZE}",
            error_type="batch size exceeded",
        )
    return CompletionRequest(
        prompts=prompts,
        sampling=_openai_sampling(body, unsigned(body, "max_tokens")),
        stream=bool(typed_value(body, "stream", bool)),
    )
