"""Text to image: a scene planned from the prompt, painted procedurally, finished like a diffusion run of the
requested steps and guidance, and encoded as PNG."""

import io
import secrets
import zlib

import numpy as np
from PIL import Image, ImageFilter

from .painting import paint
from .scene_plan import plan_scene

# The scene is painted at most this large (long side), then scaled to the requested size: fast at any size.
CANVAS_LONG_SIDE = 512


class ImageParameterError(ValueError):
    """A text-to-image parameter is out of range, or bytes are not an image (the message says which)."""


def text_to_image(
    prompt: str,
    *,
    negative_prompt: str | None = None,
    width: int = 1024,
    height: int = 1024,
    num_inference_steps: int = 30,
    guidance_scale: float = 7.5,
    seed: int | None = None,
) -> bytes:
    """PNG bytes of exactly width x height. The same arguments and seed give the same image; `seed=None` draws
    a random seed, as a diffusion pipeline without a generator does."""
    _check(prompt, negative_prompt, width, height, num_inference_steps, guidance_scale, seed)
    if seed is None:
        seed = secrets.randbits(32)
    rng = np.random.default_rng(
        [seed, zlib.crc32(prompt.encode()), zlib.crc32((negative_prompt or "").encode())]
    )
    scale = min(1.0, CANVAS_LONG_SIDE / max(width, height))
    canvas = paint(plan_scene(prompt, negative_prompt), round(width * scale), round(height * scale), rng)
    image = Image.fromarray(_finished(canvas, num_inference_steps, guidance_scale, rng))
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.BICUBIC)
    if num_inference_steps < 10:
        # Too few denoising steps leave the picture soft.
        image = image.filter(ImageFilter.GaussianBlur(radius=(10 - num_inference_steps) * width / 1024))
    output = io.BytesIO()
    image.save(output, format="PNG", compress_level=1)
    return output.getvalue()


def _finished(canvas: np.ndarray, steps: int, guidance: float, rng: np.random.Generator) -> np.ndarray:
    """Grain that fewer steps leave behind, and the saturation and contrast that guidance pushes up."""
    canvas = canvas + rng.normal(0, 0.2 / np.sqrt(steps), canvas.shape).astype(np.float32)
    strength = guidance / 7.5
    saturation = 0.15 + 0.85 * min(strength, 1) + 0.25 * max(strength - 1, 0)
    contrast = 0.7 + 0.3 * min(strength, 1) + 0.1 * max(strength - 1, 0)
    grey = canvas.mean(axis=2, keepdims=True)
    canvas = grey + (canvas - grey) * saturation
    canvas = 0.5 + (canvas - 0.5) * contrast
    return (np.clip(canvas, 0, 1) * 255).astype(np.uint8)


def _check(
    prompt: object,
    negative_prompt: object,
    width: object,
    height: object,
    steps: object,
    guidance: object,
    seed: object,
) -> None:
    if not isinstance(prompt, str):
        raise ImageParameterError("the prompt must be a string")
    if negative_prompt is not None and not isinstance(negative_prompt, str):
        raise ImageParameterError("negative_prompt must be a string")
    for name, size in (("width", width), ("height", height)):
        if not _is_int(size) or not 64 <= size <= 2048 or size % 8:
            raise ImageParameterError(f"{name} must be a multiple of 8 between 64 and 2048, got {size!r}")
    if not _is_int(steps) or not 1 <= steps <= 100:
        raise ImageParameterError(f"num_inference_steps must be an integer from 1 to 100, got {steps!r}")
    if isinstance(guidance, bool) or not isinstance(guidance, int | float) or not 0 <= guidance <= 30:
        raise ImageParameterError(f"guidance_scale must be a number from 0 to 30, got {guidance!r}")
    if seed is not None and (not _is_int(seed) or seed < 0):
        raise ImageParameterError(f"seed must be a non-negative integer, got {seed!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
