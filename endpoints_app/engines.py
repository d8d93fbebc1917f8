"""Which inference engine an endpoint runs, and what the console may do with it: the one place that knows.

An endpoint's engine is named by the single key of its `model.image` (huggingface_hub's
`_build_endpoint_image_payload`): `vLLM`, `sGLang`, `llamacpp`, `tei`, `tgi`, `huggingface` (the Inference
Toolkit, the service's "Default" container) or `custom`. A custom container whose image URL names one of the
engines' published images (the tutorial runs TGI that way) is treated as that engine; any other custom
container is one the console does not know, and the console says so instead of guessing.

Hugging Face recommends vLLM or SGLang for new text endpoints; TGI has been in maintenance mode since
2025-12-11 (Inference Endpoints documentation, `engines/tgi.md`).
"""

from dataclasses import dataclass
from typing import Any

from django.db import models


class Engine(models.TextChoices):
    VLLM = "vllm", "vLLM"
    SGLANG = "sglang", "SGLang"
    LLAMACPP = "llamacpp", "llama.cpp"
    TEI = "tei", "Text Embeddings Inference"
    TGI = "tgi", "Text Generation Inference"
    TOOLKIT = "toolkit", "Inference Toolkit"
    UNKNOWN = "unknown", "Custom container"


@dataclass(frozen=True)
class EngineTraits:
    """What an engine serves, as far as the console uses it."""

    image_key: str  # the variant of `model.image` that deploys it
    chat: bool  # serves the OpenAI-compatible `/v1/chat/completions`
    raw_route: str | None  # where the raw mode sends a templated prompt: TGI's `/generate`, else completions
    embeddings: bool  # serves TEI's `/embed` and the OpenAI-compatible `/v1/embeddings`
    request_counters: tuple[str, ...]  # metric families of its `/metrics` that grow with each request
    in_maintenance: bool = False
    # The `model` its OpenAI-compatible routes are sent: TGI serves one model and takes any name ("tgi" by
    # its documentation's convention); None: only the name it serves, which its `/v1/models` lists.
    chat_model: str | None = None
    # It loads a GGUF file: the repository has no tokenizer, and the chat template the console applies is
    # that of the model the file was converted from (the model card's `base_model`).
    serves_gguf: bool = False


TRAITS: dict[Engine, EngineTraits] = {
    # vLLM: `vllm:request_success` (vllm/v1/metrics/loggers.py), a counter labelled by finish reason.
    Engine.VLLM: EngineTraits("vLLM", True, "/v1/completions", False, ("vllm:request_success",)),
    # SGLang: `sglang:num_requests_total` (python/sglang/srt/metrics/collector.py).
    Engine.SGLANG: EngineTraits("sGLang", True, "/v1/completions", False, ("sglang:num_requests",)),
    # llama.cpp's server counts tokens, not requests (tools/server/server.cpp, `/metrics`): a request moves
    # the processed-prompt-tokens counter.
    Engine.LLAMACPP: EngineTraits(
        "llamacpp", True, "/v1/completions", False, ("llamacpp:prompt_tokens",), serves_gguf=True
    ),
    # TEI: `te_request_count` (router/src/http/server.rs).
    Engine.TEI: EngineTraits("tei", False, None, True, ("te_request_count",)),
    # TGI: `tgi_request_count` (router/src/server.rs); its chat route reads `model` only to echo it back.
    Engine.TGI: EngineTraits(
        "tgi", True, "/generate", False, ("tgi_request_count",), in_maintenance=True, chat_model="tgi"
    ),
    # The Inference Toolkit serves by task and has no request counter.
    Engine.TOOLKIT: EngineTraits("huggingface", False, None, False, ()),
    Engine.UNKNOWN: EngineTraits("custom", False, None, False, ()),
}

_VARIANTS = {traits.image_key: engine for engine, traits in TRAITS.items() if engine != Engine.UNKNOWN}
# Fragments of the engines' published image names, e.g. ghcr.io/huggingface/text-generation-inference:3.3.6,
# vllm/vllm-openai:v0.11.0, lmsysorg/sglang:latest, ghcr.io/ggml-org/llama.cpp:server-cuda,
# ghcr.io/huggingface/text-embeddings-inference:1.9.
_IMAGE_NAMES = (
    ("text-generation-inference", Engine.TGI),
    ("text-embeddings-inference", Engine.TEI),
    ("vllm-openai", Engine.VLLM),
    ("sglang", Engine.SGLANG),
    ("llama.cpp", Engine.LLAMACPP),
)


def engine_of_image(image: dict[str, Any] | None) -> Engine:
    """The engine of an endpoint whose `model.image` is `image` (the API's JSON)."""
    if not image:
        return Engine.TOOLKIT
    variant, config = next(iter(image.items()))
    if variant == "custom":
        url = str((config or {}).get("url", "")).lower()
        return next((engine for name, engine in _IMAGE_NAMES if name in url), Engine.UNKNOWN)
    return _VARIANTS.get(variant, Engine.UNKNOWN)


def traits(engine: str) -> EngineTraits:
    """The traits of an engine (an `Engine` value, as the mirror stores it); unknown values get none."""
    try:
        return TRAITS[Engine(engine)]
    except ValueError:
        return TRAITS[Engine.UNKNOWN]
