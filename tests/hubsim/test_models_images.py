"""Text to image: PNGs of the requested size, repeatable for a seed, different when the request differs."""

import io

import numpy as np
import pytest
from PIL import Image

from hubsim.models import ImageParameterError, text_to_image

PROMPT = "A lighthouse on a rocky coast at sunset"


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float32)


def _difference(first: bytes, second: bytes) -> float:
    """Mean absolute difference per channel, 0-255."""
    return float(np.abs(_pixels(first) - _pixels(second)).mean())


def test_image_is_a_png_of_the_requested_size() -> None:
    image = Image.open(io.BytesIO(text_to_image(PROMPT, width=640, height=384, seed=1)))
    assert (image.format, image.size) == ("PNG", (640, 384))


def test_same_request_and_seed_give_the_same_bytes() -> None:
    assert text_to_image(PROMPT, width=256, height=256, seed=7) == text_to_image(
        PROMPT, width=256, height=256, seed=7
    )


def test_another_seed_changes_the_details() -> None:
    assert (
        _difference(
            text_to_image(PROMPT, width=256, height=256, seed=1),
            text_to_image(PROMPT, width=256, height=256, seed=2),
        )
        > 3
    )


def test_colour_words_show_in_the_picture() -> None:
    red = _pixels(text_to_image("a red square", width=128, height=128, seed=1)).mean(axis=(0, 1))
    blue = _pixels(text_to_image("a blue square", width=128, height=128, seed=1)).mean(axis=(0, 1))
    assert (red[0] > red[2], blue[2] > blue[0]) == (True, True)


def test_negative_prompt_changes_the_picture_visibly() -> None:
    plain = text_to_image("a red sunset over the sea", width=256, height=256, seed=1)
    refused = text_to_image("a red sunset over the sea", negative_prompt="red", width=256, height=256, seed=1)
    assert _difference(plain, refused) > 10


def test_guidance_zero_washes_the_colours_out() -> None:
    def saturation(png: bytes) -> float:
        pixels = _pixels(png)
        return float((pixels.max(axis=2) - pixels.min(axis=2)).mean())

    guided = text_to_image(PROMPT, width=256, height=256, seed=1)
    assert (
        saturation(text_to_image(PROMPT, width=256, height=256, seed=1, guidance_scale=0))
        < saturation(guided) / 2
    )


def test_few_steps_leave_a_visibly_different_picture() -> None:
    full = text_to_image(PROMPT, width=256, height=256, seed=1)
    assert _difference(full, text_to_image(PROMPT, width=256, height=256, seed=1, num_inference_steps=2)) > 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"width": 1020}, "width must be a multiple of 8"),
        ({"height": 32}, "height must be a multiple of 8 between 64 and 2048"),
        ({"width": 4096}, "width"),
        ({"num_inference_steps": 0}, "num_inference_steps"),
        ({"num_inference_steps": 101}, "num_inference_steps"),
        ({"guidance_scale": 31.0}, "guidance_scale"),
        ({"guidance_scale": -1}, "guidance_scale"),
        ({"seed": -5}, "seed"),
    ],
)
def test_bad_parameters_are_refused_with_a_message(arguments: dict, message: str) -> None:
    with pytest.raises(ImageParameterError, match=message):
        text_to_image(PROMPT, **arguments)
