"""TGI's JSON shapes (see tgi-openapi.json): generate responses, stream events, OpenAI-style objects."""

import time
from typing import Any

from hubsim.inference.generation import Completion
from hubsim.inference.params import MAX_BEST_OF, MAX_INPUT_TOKENS, MAX_STOP_SEQUENCES, MAX_TOTAL_TOKENS
from hubsim.models import GeneratedToken

TGI_VERSION = "3.3.6-dev0"
SYSTEM_FINGERPRINT = f"{TGI_VERSION}-native"
# The OpenAI-style routes report "stop" for both an end-of-sequence token and a stop sequence.
OPENAI_FINISH_REASONS = {"length": "length", "eos_token": "stop", "stop_sequence": "stop"}


def token_json(token: GeneratedToken) -> dict[str, Any]:
    return {"id": token.id, "text": token.text, "logprob": token.logprob, "special": token.special}


def visible_text(tokens: list[GeneratedToken]) -> str:
    """The generated text, without special tokens (TGI skips them when decoding)."""
    return "".join(token.text for token in tokens if not token.special)


def details_json(
    completion: Completion, prefill: list[tuple[int, str, int, int]], sampled: bool, others: list[Completion]
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "finish_reason": completion.finish_reason,
        "generated_tokens": len(completion.tokens),
        "seed": completion.seed if sampled else None,
        "prefill": [{"id": token_id, "text": text, "logprob": None} for token_id, text, _, _ in prefill],
        "tokens": [token_json(token) for token in completion.tokens],
    }
    if others:
        details["best_of_sequences"] = [
            {
                "generated_text": visible_text(other.tokens),
                "finish_reason": other.finish_reason,
                "generated_tokens": len(other.tokens),
                "seed": other.seed,
                "prefill": details["prefill"],
                "tokens": [token_json(token) for token in other.tokens],
            }
            for other in others
        ]
    return details


def stream_event(
    token: GeneratedToken, index: int, *, final_text: str | None, final_details: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "index": index,
        "token": token_json(token),
        "generated_text": final_text,
        "details": final_details,
    }


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
    return {"content": [{"token": t.text, "logprob": t.logprob, "top_logprobs": []} for t in tokens]}


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
                "finish_reason": OPENAI_FINISH_REASONS[completion.finish_reason],
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
                "finish_reason": OPENAI_FINISH_REASONS[finish] if finish else None,
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


def completion_choice(index: int, text: str, finish_reason: str | None) -> dict[str, Any]:
    # CompletionComplete.finish_reason is a string: chunks before the last send "".
    return {
        "index": index,
        "text": text,
        "finish_reason": OPENAI_FINISH_REASONS[finish_reason] if finish_reason else "",
        "logprobs": None,
    }


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
        "max_client_batch_size": 4,
        "router": "text-generation-router",
        "version": TGI_VERSION,
        "sha": None,
        "docker_label": None,
    }
