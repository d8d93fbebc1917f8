"""The create form's presets: the three model types of the tutorial, with its hardware and settings."""

from dataclasses import dataclass, field

TGI_IMAGE = "ghcr.io/huggingface/text-generation-inference:latest"


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
    image_url: str = ""
    health_route: str = "/health"
    image_env: dict[str, str] = field(default_factory=dict)


PRESETS: tuple[Preset, ...] = (
    Preset(
        key="gemma",
        label="Text generation: Gemma on TGI",
        summary="google/gemma-1.1-2b-it on a text-generation-inference container, one A10G.",
        repository="google/gemma-1.1-2b-it",
        task="text-generation",
        instance_type="nvidia-a10g",
        image_url=TGI_IMAGE,
        image_env={"MODEL_ID": "/repository"},
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
        label="Multimodal: Idefics2 chatty",
        summary="HuggingFaceM4/idefics2-8b-chatty (images and text in, text out) on TGI, one A100.",
        repository="HuggingFaceM4/idefics2-8b-chatty",
        task="image-text-to-text",
        instance_type="nvidia-a100",
        image_url=TGI_IMAGE,
        image_env={"MODEL_ID": "/repository"},
    ),
)
PRESETS_BY_KEY = {preset.key: preset for preset in PRESETS}
