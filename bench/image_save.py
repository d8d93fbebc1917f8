"""Saving a generated 1024x1024 image: PNG original with its parameters plus a WebP thumbnail, against the
least any save costs (Pillow decoding the PNG and encoding it again), in the same run.

    python -m bench.image_save
"""

import io
import statistics
import time
import uuid

from bench import report, stack

REPEAT = 15
TARGET_MS = 60.0


def _median_ms(action, repeat: int = REPEAT) -> float:
    action()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run() -> list[report.Row]:
    with stack.scratch_stack():
        from PIL import Image

        from endpoints_app.models import Endpoint, Namespace
        from hubsim.models import text_to_image
        from playground_app.parameters import ImageParameters
        from playground_app.services.images import save_image

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

        def decode_and_encode() -> None:
            image = Image.open(io.BytesIO(png))
            image.load()
            image.save(io.BytesIO(), format="PNG")

        def save() -> None:
            save_image(admin, endpoint, parameters, png, uuid.uuid4())

        baseline = _median_ms(decode_and_encode)
        value = _median_ms(save)
    return [
        report.Row(
            "image save", "PNG + WebP thumbnail of 1024x1024, p50 (ms)", value, baseline,
            f"<= {TARGET_MS:.0f} ms", value <= TARGET_MS,
        ),
    ]  # fmt: skip


if __name__ == "__main__":
    report.main(run)
