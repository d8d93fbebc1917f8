"""Saving a generated 1024x1024 image, in the same run:

- the console's encoding (the PNG answer kept as sent, its parameters added as text chunks, plus the WebP
  thumbnail), against Pillow re-encoding the PNG to add the chunks (`PngInfo`, what saving an image with
  its parameters usually costs) plus the same thumbnail;
- the whole save (both files stored, the gallery's row written), against its target.

    python -m bench.image_save
"""

import io
import statistics
import time
import uuid
from collections.abc import Callable

from bench import report, stack

REPEAT = 15
TARGET_MS = 60.0


def _median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run() -> list[report.Row]:
    with stack.scratch_stack():
        from PIL import Image, PngImagePlugin

        from endpoints_app.models import Endpoint, Namespace
        from hubsim.models import text_to_image
        from playground_app.parameters import ImageParameters
        from playground_app.services.images import decoded, original_png, save_image, thumbnail_webp

        admin = stack.team_admin()
        endpoint = Endpoint.objects.create(
            namespace=Namespace.objects.get(name="demo"),
            name="sdxl-bench",
            status="running",
            repository="stabilityai/stable-diffusion-xl-base-1.0",
            task="text-to-image",
        )
        parameters = ImageParameters(
            prompt="a lighthouse on a cliff at sunset, oil painting",
            negative_prompt="blurry",
            width=1024,
            height=1024,
            num_inference_steps=30,
            guidance_scale=7.5,
            seed=42,
        )
        png = text_to_image(parameters.prompt, width=1024, height=1024, seed=42)
        chunks = {**parameters.text_chunks(), "endpoint": endpoint.full_name, "model": endpoint.repository}

        def console_encoding() -> None:
            image = decoded(png, endpoint.full_name)
            original_png(png, image, parameters, endpoint)
            thumbnail_webp(image)

        def pillow_reencoding() -> None:
            image = Image.open(io.BytesIO(png))
            info = PngImagePlugin.PngInfo()
            for key, value in chunks.items():
                info.add_itxt(key, value)
            image.save(io.BytesIO(), format="PNG", pnginfo=info)
            thumbnail_webp(image)

        baseline = _median_ms(pillow_reencoding)
        encoding = _median_ms(console_encoding)
        whole_save = _median_ms(lambda: save_image(admin, endpoint, parameters, png, uuid.uuid4()))
    return [
        report.Row(
            "image save", "PNG with parameters + WebP thumbnail, 1024x1024, p50 (ms)", encoding, baseline,
            "reported",
        ),
        report.Row(
            "image save", "whole save (files and row), p50 (ms)", whole_save, None, f"<= {TARGET_MS:.0f} ms",
            whole_save <= TARGET_MS,
        ),
    ]  # fmt: skip


if __name__ == "__main__":
    report.main(run)
