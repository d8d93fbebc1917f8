"""TGI's JSON shapes (router/src/lib.rs, 3.3.7; tgi-openapi.json): generate responses, stream events,
OpenAI-style objects, and the headers its handlers set."""

import math
import time
from typing import Any

from hubsim.inference.generation import Completion
from hubsim.inference.params import (
    MAX_BEST_OF,
    MAX_CLIENT_BATCH_SIZE,
    MAX_INPUT_TOKENS,
    MAX_STOP_SEQUENCES,
    MAX_TOTAL_TOKENS,
)
from hubsim.models import GeneratedToken

# The version the router of the v3.3.7 release reports (its Cargo.toml says 3.3.6-dev0).
TGI_VERSION = "3.3.6-dev0"
SYSTEM_FINGERPRINT = f"{TGI_VERSION}-native"
# server.rs: COMPUTE_TYPE's default (assumed: nothing says Inference Endpoints sets it).
COMPUTE_TYPE = "gpu+optimized"


def openai_finish_reason(finish_reason: str) -> str:
    """``FinishReason::format(true)``: only the end-of-sequence token becomes "stop"."""
    return "stop" if finish_reason == "eos_token" else finish_reason


def token_json(token: GeneratedToken) -> dict[str, Any]:
    return {"id": token.id, "text": token.text, "logprob": token.logprob, "special": token.special}


def _logprob(value: float) -> float | None:
    """serde_json writes an infinite f32 (a token the sampler ruled out) as null."""
    return value if math.isfinite(value) else None


def top_tokens_json(token: GeneratedToken) -> list[dict[str, Any]]:
    return [
        {"id": index, "text": text, "logprob": _logprob(logprob), "special": False}
        for index, text, logprob in token.top_tokens
    ]


def visible_text(tokens: list[GeneratedToken]) -> str:
    """The generated text, without special tokens (TGI skips them when decoding)."""
    return "".join(token.text for token in tokens if not token.special)


def _sequence_details(
    completion: Completion, prefill: list[dict[str, Any]], seed: int | None
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "finish_reason": completion.finish_reason,
        "generated_tokens": len(completion.tokens),
        "seed": seed,
        "prefill": prefill,
        "tokens": [token_json(token) for token in completion.tokens],
    }
    top_tokens = [top_tokens_json(token) for token in completion.tokens if token.top_tokens]
    if top_tokens:
        details["top_tokens"] = top_tokens
    return details


def details_json(
    completion: Completion,
    prefill: list[tuple[int, str, int, int]],
    seed: int | None,
    others: list[tuple[str, Completion, int | None]],
) -> dict[str, Any]:
    """``Details``; ``others`` are the other best_of sequences as (generated text, completion, seed).
    Prefill log-probabilities are null: hubsim's engine does not score the prompt."""
    prefill_json = [{"id": token_id, "text": text, "logprob": None} for token_id, text, _, _ in prefill]
    details = _sequence_details(completion, prefill_json, seed)
    if others:
        details["best_of_sequences"] = [
            {"generated_text": text, **_sequence_details(other, prefill_json, other_seed)}
            for text, other, other_seed in others
        ]
    return details


def stream_event(
    token: GeneratedToken, index: int, *, final_text: str | None, final_details: dict[str, Any] | None
) -> dict[str, Any]:
    event: dict[str, Any] = {"index": index, "token": token_json(token)}
    if token.top_tokens:
        event["top_tokens"] = top_tokens_json(token)
    return {**event, "generated_text": final_text, "details": final_details}


def usage_json(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def openai_envelope(obj: str, model: str) -> dict[str, Any]:
    return {
        "object": obj,
        "id": "",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }


def chat_logprobs(tokens: list[GeneratedToken]) -> dict[str, Any]:
    return {
        "content": [
            {
                "token": token.text,
                "logprob": token.logprob,
                "top_logprobs": [
                    {"token": text, "logprob": _logprob(value)} for _, text, value in token.top_tokens
                ],
            }
            for token in tokens
        ]
    }


def chat_completion_json(
    model: str, completion: Completion, prompt_tokens: int, *, logprobs: bool
) -> dict[str, Any]:
    return {
        **openai_envelope("chat.completion", model),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": visible_text(completion.tokens)},
                "logprobs": chat_logprobs(completion.tokens) if logprobs else None,
                "finish_reason": openai_finish_reason(completion.finish_reason),
            }
        ],
        "usage": usage_json(prompt_tokens, len(completion.tokens)),
    }


def chat_chunk_json(model: str, token: GeneratedToken, *, logprobs: bool) -> dict[str, Any]:
    finish = token.finish_reason
    return {
        **openai_envelope("chat.completion.chunk", model),
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": "" if token.special else token.text},
                "logprobs": chat_logprobs([token]) if logprobs else None,
                "finish_reason": openai_finish_reason(finish) if finish else None,
            }
        ],
        "usage": None,
    }


def chat_usage_chunk_json(model: str, prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    return {
        **openai_envelope("chat.completion.chunk", model),
        "choices": [],
        "usage": usage_json(prompt_tokens, completion_tokens),
    }


def completion_choice(index: int, text: str, finish_reason: str) -> dict[str, Any]:
    # CompletionComplete.finish_reason is a string: "" on a stream's chunks before the last.
    return {"index": index, "text": text, "logprobs": None, "finish_reason": finish_reason}


def info_json(repo_id: str, pipeline_tag: str, sha: str) -> dict[str, Any]:
    return {
        "model_id": repo_id,
        "model_sha": sha,
        "model_pipeline_tag": pipeline_tag,
        "max_concurrent_requests": 128,
        "max_best_of": MAX_BEST_OF,
        "max_stop_sequences": MAX_STOP_SEQUENCES,
        "max_input_tokens": MAX_INPUT_TOKENS,
        "max_total_tokens": MAX_TOTAL_TOKENS,
        "validation_workers": 2,
        "max_client_batch_size": MAX_CLIENT_BATCH_SIZE,
        "router": "text-generation-router",
        "version": TGI_VERSION,
        "sha": None,
        "docker_label": None,
    }


def models_json(repo_id: str) -> dict[str, Any]:
    """``openai_get_model_info``: a list with one model, created 0, owned by the model id itself."""
    return {"object": "list", "data": [{"id": repo_id, "object": "model", "created": 0, "owned_by": repo_id}]}


def generate_headers(*, characters: int, seconds: float, input_length: int, generated: int) -> dict[str, str]:
    """``generate_internal``'s headers. hubsim spends its time inferring, none validating or queueing."""
    milliseconds = int(seconds * 1000)
    return {
        "x-compute-type": COMPUTE_TYPE,
        "x-compute-time": repr(seconds),
        "x-compute-characters": str(characters),
        "x-total-time": str(milliseconds),
        "x-validation-time": "0",
        "x-queue-time": "0",
        "x-inference-time": str(milliseconds),
        "x-time-per-token": str(milliseconds // max(generated, 1)),
        "x-prompt-tokens": str(input_length),
        "x-generated-tokens": str(generated),
    }


def stream_headers(characters: int) -> dict[str, str]:
    """``generate_stream_internal``'s headers, sent before the first event."""
    return {
        "x-compute-type": COMPUTE_TYPE,
        "x-compute-characters": str(characters),
        "X-Accel-Buffering": "no",
    }
