"""Reading the OpenAI-style requests that vLLM, SGLang and llama.cpp share: chat completions and completions.

What differs between the three (defaults, refusals, error wording) comes from the engine's ``Dialect``; the
fields read are those of OpenAI's API that the three accept (plus ``top_k`` and ``repetition_penalty``, which
all three read as extensions).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubsim.inference.openai_server import Dialect


@dataclass(frozen=True)
class OpenAiRequest:
    model: str | None
    max_tokens: int | None
    temperature: float | None
    top_p: float | None
    top_k: int | None
    seed: int | None
    stop: tuple[str, ...]
    repetition_penalty: float | None
    stream: bool
    include_usage: bool
    logprobs: bool
    top_logprobs: int
    messages: list[dict[str, Any]] | None = None  # chat
    prompts: list[str] | None = None  # completions
    echo: bool = False


def _field(dialect: "Dialect", body: dict[str, Any], key: str, kinds: type | tuple[type, ...]) -> Any:
    value = body.get(key)
    if value is None:
        return None
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        return dialect.wrong_type(key, value, kinds)
    return value


def _stop(dialect: "Dialect", body: dict[str, Any]) -> tuple[str, ...]:
    stop = _field(dialect, body, "stop", (str, list)) or []
    stop = [stop] if isinstance(stop, str) else stop
    if not all(isinstance(item, str) for item in stop):
        return tuple(dialect.wrong_type("stop", stop, (str, list)) or ())
    return tuple(stop)


def _refuse_unsupported(dialect: "Dialect", body: dict[str, Any]) -> None:
    """What hubsim's engine cannot do is refused, never ignored (a hubsim limitation, not the engine's)."""
    for key, what in (("tools", "tool calls"), ("response_format", "structured output")):
        value = body.get(key)
        if value and not (
            key == "response_format" and isinstance(value, dict) and value.get("type") == "text"
        ):
            raise dialect.bad_request(f"hubsim's text engine does not support {what} (`{key}`)", key)
    n = body.get("n")
    if isinstance(n, int) and not isinstance(n, bool) and n > 1:
        raise dialect.bad_request("hubsim's text engine returns one choice: `n` must be 1", "n")


def read_request(dialect: "Dialect", body: Any, *, chat: bool) -> OpenAiRequest:
    if not isinstance(body, dict):
        raise dialect.bad_request("the request body must be a JSON object", None)
    _refuse_unsupported(dialect, body)
    stream_options = _field(dialect, body, "stream_options", dict) or {}
    max_tokens = _field(dialect, body, "max_completion_tokens", int) if chat else None
    if max_tokens is None:
        max_tokens = _field(dialect, body, "max_tokens", int)
    top_logprobs = _field(dialect, body, "top_logprobs", int) or 0
    logprobs = _field(dialect, body, "logprobs", (bool, int))
    if not chat and isinstance(logprobs, int) and not isinstance(logprobs, bool):
        top_logprobs, logprobs = logprobs, True  # completions' logprobs is a number of alternatives
    common = {
        "model": _field(dialect, body, "model", str),
        "max_tokens": max_tokens,
        "temperature": _field(dialect, body, "temperature", (int, float)),
        "top_p": _field(dialect, body, "top_p", (int, float)),
        "top_k": _field(dialect, body, "top_k", int),
        "seed": _field(dialect, body, "seed", int),
        "stop": _stop(dialect, body),
        "repetition_penalty": _field(dialect, body, "repetition_penalty", (int, float)),
        "stream": bool(_field(dialect, body, "stream", bool)),
        "include_usage": dialect.includes_usage(stream_options),
        "logprobs": bool(logprobs),
        "top_logprobs": top_logprobs,
    }
    if chat:
        messages = body.get("messages")
        if not isinstance(messages, list) or not all(
            isinstance(message, dict) and isinstance(message.get("role"), str) for message in messages
        ):
            raise dialect.missing("messages")
        return OpenAiRequest(**common, messages=messages)
    prompt = body.get("prompt")
    prompts = [prompt] if isinstance(prompt, str) else prompt
    if not isinstance(prompts, list) or not prompts or not all(isinstance(text, str) for text in prompts):
        raise dialect.missing("prompt")
    return OpenAiRequest(**common, prompts=prompts, echo=bool(_field(dialect, body, "echo", bool)))
