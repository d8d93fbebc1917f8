"""How many tokens an endpoint accepts in one request, read without asking it (the answer's path stays one
request long): from its engine's settings as the API reports them (`Endpoint.raw`), else from the model's own
configuration, else unknown (the endpoint's own refusal is then shown as it comes).

Each engine's rule, from its source:

- TGI: `maxInputLength` bounds the input and `maxTotalTokens` the input plus `max_new_tokens`
  (text-generation-inference `router/src/validation.rs`, `validate_input`: "`inputs` must have less than
  {max_input_length} tokens", "`inputs` tokens + `max_new_tokens` must be <= {max_total_tokens}").
- llama.cpp: `ctxSize` is shared by the `nParallel` slots, each holding `ctxSize / nParallel` tokens of prompt
  and answer (llama.cpp `examples/server/server.cpp`, `init`: `n_ctx_slot = n_ctx / params.n_parallel`; today
  `tools/server/server-context.cpp` takes `llama_n_ctx_seq(ctx)`, the same share unless the KV cache is
  unified, and caps it at the model's training context). A prompt longer than its slot is refused
  (`exceed_context_size_error`). With a unified cache a slot may hold the whole context: dividing trims more,
  never too little.
- vLLM: `--max-model-len` in the container arguments bounds the prompt plus `max_tokens` (vllm
  `vllm/engine/arg_utils.py`, `EngineArgs.max_model_len`; `vllm/entrypoints/openai/serving_engine.py`,
  `_validate_input`: "This model's maximum context length is ...").
- SGLang: `--context-length` (sglang `python/sglang/srt/server_args.py`), checked against the prompt plus
  `max_new_tokens` (`tokenizer_manager.py`, `_validate_one_request`).
- Otherwise the model's context, `max_position_embeddings` of its config.json (what vLLM and SGLang derive
  their default from), or its tokenizer's `model_max_length`; for GGUF weights, those of the base model the
  chat template comes from.
"""

import json
from dataclasses import dataclass

from huggingface_hub import hf_hub_download
from huggingface_hub.errors import RemoteEntryNotFoundError

from endpoints_app.engine_settings import read_settings, split_flags
from endpoints_app.engines import Engine
from endpoints_app.models import Endpoint
from playground_app import chat_templates
from playground_app.repository_cache import RepositoryCache

# transformers' tokenizers say int(1e30) when their configuration names no limit.
SANE_MODEL_MAX_LENGTH = 10_000_000


@dataclass(frozen=True)
class ContextLimit:
    """`tokens` of input, and `total` of input plus the answer's new tokens (None: not bounded that way)."""

    tokens: int | None = None
    total: int | None = None

    def __post_init__(self) -> None:
        if self.tokens is None and self.total is None:
            raise ValueError("A context limit bounds the input, the total, or both.")

    def input_budget(self, max_new_tokens: int) -> int:
        """The input tokens a request asking for `max_new_tokens` may hold."""
        budgets = [self.tokens] if self.tokens is not None else []
        if self.total is not None:
            budgets.append(self.total - max_new_tokens)
        return min(budgets)

    @property
    def accepted(self) -> int:
        """What the endpoint accepts, as a person reads it in a notice."""
        return self.total if self.total is not None else self.tokens or 0


def endpoint_limit(endpoint: Endpoint, token: str) -> ContextLimit | None:
    """The endpoint's limit; the model's configuration is read only with the team's token (never with one the
    console's own machine may hold)."""
    return configured_limit(endpoint) or (model_limit(endpoint, token) if token else None)


def configured_limit(endpoint: Endpoint) -> ContextLimit | None:
    """The limit the endpoint's engine settings set, if they set one."""
    model = (endpoint.raw or {}).get("model") or {}
    values = read_settings(model).values
    match endpoint.engine:
        case Engine.TGI:
            tokens, total = _number(values.get("max_input_length")), _number(values.get("max_total_tokens"))
            return ContextLimit(tokens, total) if tokens or total else None
        case Engine.LLAMACPP if _number(values.get("ctx_size")):
            slots = max(_number(values.get("n_parallel")) or 1, 1)
            return ContextLimit(total=_number(values["ctx_size"]) // slots)
        case Engine.VLLM | Engine.SGLANG:
            flag = "--max-model-len" if endpoint.engine == Engine.VLLM else "--context-length"
            length = _number(split_flags(model.get("args") or (), {flag})[0].get(flag))
            return ContextLimit(total=length) if length else None
    return None


def _number(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "") else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def read_model_context(repository: str, revision: str, token: str) -> int | None:
    """The model's context length (None: its configuration names none). Raises what reaching the Hub raises
    (offline, a server error, a gated repository the token cannot read: OSErrors), so that it is not kept."""
    try:
        path = hf_hub_download(repository, "config.json", revision=revision or None, token=token)
        with open(path, encoding="utf-8") as file:
            config = json.load(file)
    except (RemoteEntryNotFoundError, ValueError):  # the Hub has no config.json, or not JSON: it names none
        config = {}
    # A multimodal model's language model keeps its own configuration (Idefics2's `text_config`).
    for section in (config, config.get("text_config") or {}):
        length = _number(section.get("max_position_embeddings"))
        if length:
            return length
    tokenizer = chat_templates.tokenizers.get(repository, revision, token)
    length = _number(getattr(tokenizer, "model_max_length", None))
    return length if length and length < SANE_MODEL_MAX_LENGTH else None


# Each (repository, revision)'s context length (None: its configuration could not be read or names none).
model_contexts: RepositoryCache[int | None] = RepositoryCache(read_model_context)


def model_limit(endpoint: Endpoint, token: str) -> ContextLimit | None:
    try:
        source = chat_templates.template_source(endpoint, token)
    except chat_templates.ChatTemplateProblem:
        return None
    try:
        length = model_contexts.get(source.repository, source.revision, token)
    except (OSError, chat_templates.ChatTemplateProblem):  # the Hub, for now: the next request asks again
        return None
    return ContextLimit(total=length) if length else None
