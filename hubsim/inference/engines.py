"""Which inference engine an endpoint's container runs, from its spec's ``model.image``.

``model.image`` is a union keyed by variant (huggingface_hub's ``_build_endpoint_image_payload``): ``tgi``,
``vLLM``, ``sGLang``, ``llamacpp`` and ``tei`` name their engine; ``huggingface`` is the Inference Toolkit
(the Inference Endpoints documentation calls it the "Default" container); a ``custom`` container runs the
engine its image URL names, when it names one of the engines' official images (assumed: the service does
not say how it treats them), else something hubsim does not know.
"""

from typing import Any

TGI = "tgi"
VLLM = "vllm"
SGLANG = "sglang"
LLAMACPP = "llamacpp"
TEI = "tei"
TOOLKIT = "toolkit"
UNKNOWN = "unknown"

_VARIANTS = {
    "tgi": TGI,
    "vLLM": VLLM,
    "sGLang": SGLANG,
    "llamacpp": LLAMACPP,
    "tei": TEI,
    "huggingface": TOOLKIT,
}
# Fragments of the engines' published image names, e.g. ghcr.io/huggingface/text-generation-inference:3.3.6,
# vllm/vllm-openai:v0.11.0, lmsysorg/sglang:latest, ghcr.io/ggml-org/llama.cpp:server-cuda,
# ghcr.io/huggingface/text-embeddings-inference:1.9, huggingface/huggingface-inference-toolkit.
_IMAGE_NAMES = (
    ("text-generation-inference", TGI),
    ("text-embeddings-inference", TEI),
    ("vllm-openai", VLLM),
    ("sglang", SGLANG),
    ("llama.cpp", LLAMACPP),
    ("inference-toolkit", TOOLKIT),
)


def engine_of(spec: dict[str, Any]) -> str:
    """The engine serving an endpoint of this spec (``record.spec``): one of the constants above."""
    image = spec["model"].get("image") or {"huggingface": {}}
    variant, config = next(iter(image.items()))
    if variant == "custom":
        url = str((config or {}).get("url", "")).lower()
        return next((engine for name, engine in _IMAGE_NAMES if name in url), UNKNOWN)
    return _VARIANTS.get(variant, UNKNOWN)
