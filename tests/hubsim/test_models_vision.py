"""Describing an image: size, named colours with shares, brightness, and answers about what is asked."""

import io

import pytest
from PIL import Image

from hubsim.models import ImageParameterError, describe_image, text_to_image


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def _sky_over_grass() -> bytes:
    image = Image.new("RGB", (300, 200), (40, 90, 210))
    image.paste((40, 150, 60), (0, 120, 300, 200))
    output = io.BytesIO()
    image.save(output, format="JPEG")
    return output.getvalue()


def test_colour_question_names_the_main_colour() -> None:
    assert "red (100%)" in describe_image(_png((64, 64), (200, 20, 30)), "What colour is this?")


def test_colour_of_the_sky_is_read_from_the_top() -> None:
    assert describe_image(_sky_over_grass(), "What colour is the sky?").startswith("The sky looks blue")


def test_colour_of_the_grass_is_read_from_the_bottom() -> None:
    assert describe_image(_sky_over_grass(), "What color is the grass?").startswith("The grass looks green")


def test_size_question_gives_the_pixel_size() -> None:
    assert (
        describe_image(_sky_over_grass(), "How big is the picture?")
        == "The image is 300 x 200 pixels (landscape)."
    )


def test_brightness_question_tells_dark_from_bright() -> None:
    answers = [
        describe_image(_png((32, 32), colour), "Is it bright?") for colour in ((10, 10, 20), (250, 250, 240))
    ]
    assert [answer.split(" (")[0] for answer in answers] == ["It is dark", "It is bright"]


def test_open_question_gets_an_overview_naming_the_subject() -> None:
    answer = describe_image(_sky_over_grass(), "Is there a dog?")
    assert (
        answer.startswith("This is a landscape image of 300 x 200 pixels, mostly blue")
        and "the dog" in answer
    )


def test_rendered_images_are_described_by_their_prompt_colours() -> None:
    image = text_to_image("a green meadow with yellow flowers and a blue sky", width=256, height=256, seed=3)
    assert describe_image(image, "What colour is the sky?").startswith("The sky looks blue")


def test_bytes_that_are_not_an_image_are_refused() -> None:
    with pytest.raises(ImageParameterError, match="not an image"):
        describe_image(b"plain text", "What is this?")
