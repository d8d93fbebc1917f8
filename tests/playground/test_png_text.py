"""Text chunks added to a PNG without re-encoding it, read back by Pillow."""

import io

from PIL import Image

from playground_app import png_text


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pillow_reads_the_added_chunks_and_the_same_pixels() -> None:
    original = small_png()
    tagged = png_text.with_text(original, {"prompt": "a red fox, l'été", "seed": "42"})
    image = Image.open(io.BytesIO(tagged))
    image.load()
    assert image.text == {"prompt": "a red fox, l'été", "seed": "42"}
    assert image.tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_only_a_complete_png_is_recognised() -> None:
    assert png_text.is_png(small_png())
    assert not png_text.is_png(small_png()[:-4])
    assert not png_text.is_png(b"\xff\xd8\xff\xe0 a jpeg")
