"""The create form's presets: a model of each kind on the engine that serves it, and the tutorial's endpoints.

Text generation starts on vLLM, as Hugging Face recommends for new endpoints; "the tutorial" is Gemma on a
custom TGI container exactly as the tutorial's notebook creates it (its `MODEL_ID` in the endpoint's
environment, where the API keeps it); Idefics2 stays on TGI, which lists it among its supported models. TGI
is in maintenance. Each preset's hardware is one its engine runs on (the CPU ones as the catalog's recipes of
the same models).
"""

from dataclasses import dataclass, field
from typing import Any

TUTORIAL_TGI_IMAGE = "ghcr.io/huggingface/text-generation-inference:latest"


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    summary: str
    repository: str
    task: str
    instance_type: str
    instance_size: str = "x1"
    vendor: str = "aws"
    region: str = "us-east-1"
    framework: str = "pytorch"
    endpoint_type: str = "authenticated"  # the tutorial's "Protected" (see security_types.py)
    min_replica: int = 0
    max_replica: int = 1
    scale_to_zero_timeout: int = 15
    engine: str = "huggingface"  # the image variant (engine_settings.OPTIONS)
    settings: dict[str, Any] = field(default_factory=dict)  # by setting name
    image_url: str = ""  # empty: the engine's published image
    health_route: str = "/health"
    env: dict[str, str] = field(default_factory=dict)


PRESETS: tuple[Preset, ...] = (
    Preset(
        key="qwen-vllm",
        label="Text generation: Qwen2.5 on vLLM",
        summary="Qwen/Qwen2.5-0.5B-Instruct on vLLM, one L4.",
        repository="Qwen/Qwen2.5-0.5B-Instruct",
        task="text-generation",
        instance_type="nvidia-l4",
        engine="vLLM",
    ),
    Preset(
        key="qwen-gguf",
        label="Text generation on CPU: Qwen2.5 GGUF on llama.cpp",
        summary="Qwen/Qwen2.5-0.5B-Instruct-GGUF (Q4_K_M) on llama.cpp, 4 Sapphire Rapids vCPUs.",
        repository="Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        task="text-generation",
        instance_type="intel-spr",
        instance_size="x4",
        engine="llamacpp",
        settings={"gguf_file": "qwen2.5-0.5b-instruct-q4_k_m.gguf", "ctx_size": 4096, "n_parallel": 4},
    ),
    Preset(
        key="bge-tei",
        label="Embeddings: bge-small on TEI",
        summary="BAAI/bge-small-en-v1.5 on Text Embeddings Inference, 2 Sapphire Rapids vCPUs.",
        repository="BAAI/bge-small-en-v1.5",
        task="feature-extraction",
        instance_type="intel-spr",
        instance_size="x2",
        engine="tei",
    ),
    Preset(
        key="sdxl",
        label="Text-to-image: SDXL",
        summary="stabilityai/stable-diffusion-xl-base-1.0 on the default container, one A100.",
        repository="stabilityai/stable-diffusion-xl-base-1.0",
        task="text-to-image",
        instance_type="nvidia-a100",
    ),
    Preset(
        key="idefics2",
        label="Multimodal: Idefics2 chatty on TGI (in maintenance)",
        summary="HuggingFaceM4/idefics2-8b-chatty (images and text in, text out) on TGI, one A100.",
        repository="HuggingFaceM4/idefics2-8b-chatty",
        task="image-text-to-text",
        instance_type="nvidia-a100",
        engine="tgi",
    ),
    Preset(
        key="gemma",
        label="The tutorial: Gemma on TGI (in maintenance)",
        summary="google/gemma-1.1-2b-it on a custom text-generation-inference container, one A10G.",
        repository="google/gemma-1.1-2b-it",
        task="text-generation",
        instance_type="nvidia-a10g",
        engine="custom",
        image_url=TUTORIAL_TGI_IMAGE,
        env={"MODEL_ID": "/repository"},
    ),
)
PRESETS_BY_KEY = {preset.key: preset for preset in PRESETS}
