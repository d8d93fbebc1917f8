"""An image an endpoint returns is not trusted: a real HTTP server plays a hostile text-to-image endpoint that
answers too many bytes, a decompression bomb or a damaged file. Each is refused in the form with a message
saying what went wrong, nothing is saved, and no page fails."""

import io
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from PIL import Image

from endpoints_app.models import Endpoint
from playground_app.models import GeneratedImage
from tests.playground.fixtures import SDXL

FORM = {
    "prompt": "a lighthouse",
    "width": "512",
    "height": "512",
    "num_inference_steps": "20",
    "guidance_scale": "7",
    "count": "1",
}
MEGABYTE = 1024 * 1024


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares `width` x `height` pixels (a decompression bomb
    as Pillow sees it before decoding)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def real_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@contextmanager
def hostile_endpoint(body: bytes, *, declare_length: bool = True) -> Iterator[str]:
    """A server answering every POST with `body` as image/png (without Content-Length: read to the close)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            if declare_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):  # the console stopped reading: as wanted
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sdxl(deploy) -> Endpoint:
    return deploy("sdxl-hostile", SDXL)


def generate_from(client: Client, endpoint: Endpoint, url: str) -> HttpResponse:
    """Asks `url` (the mirror's URL for the endpoint from now on) for an image through the image form."""
    Endpoint.objects.filter(pk=endpoint.pk).update(url=url)
    return client.post(reverse("playground:generate"), {**FORM, "endpoint": endpoint.pk})


def refusals(response: HttpResponse) -> list[str]:
    """The form's errors about the answer (the form itself was valid)."""
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.errors.keys() - {"__all__"}, form.errors
    return form.non_field_errors()


@pytest.mark.parametrize("declare_length", [True, False])
def test_an_answer_over_the_byte_limit_is_not_read(sdxl, otto, settings, declare_length: bool) -> None:
    settings.PLAYGROUND_ANSWER_MAX_BYTES = MEGABYTE
    with hostile_endpoint(real_png() + b"\0" * (3 * MEGABYTE), declare_length=declare_length) as url:
        errors = refusals(generate_from(otto, sdxl, url))
    assert errors == ["demo/sdxl-hostile answered more than 1.0\xa0MB: the answer was not read."]
    assert not GeneratedImage.objects.exists()


def test_an_image_with_too_many_pixels_is_refused_before_decoding(sdxl, otto) -> None:
    with hostile_endpoint(png_declaring(5_000, 5_000)) as url:
        errors = refusals(generate_from(otto, sdxl, url))
    assert errors == [
        "demo/sdxl-hostile answered an image of 5000 x 5000 pixels; the playground takes at most "
        "16,777,216 pixels."
    ]
    assert not GeneratedImage.objects.exists()


def test_pillows_decompression_bomb_error_is_caught(sdxl, otto, settings) -> None:
    """With the console's own pixel limit raised past Pillow's, Pillow's guard refuses the image."""
    settings.PLAYGROUND_IMAGE_MAX_PIXELS = 10**12
    with hostile_endpoint(png_declaring(20_000, 20_000)) as url:
        (error,) = refusals(generate_from(otto, sdxl, url))
    assert error.startswith("demo/sdxl-hostile answered an image too large to decode (Image size (400000000")
    assert not GeneratedImage.objects.exists()


def test_a_damaged_image_is_refused_with_what_pillow_said(sdxl, otto) -> None:
    damaged = real_png()[:60]  # the header and a cut-off pixel stream
    with hostile_endpoint(damaged) as url:
        (error,) = refusals(generate_from(otto, sdxl, url))
    assert error.startswith("demo/sdxl-hostile did not answer with an image Pillow can read: ")
    assert not GeneratedImage.objects.exists()


def test_a_sound_image_from_the_same_server_is_saved(sdxl, otto) -> None:
    """The server above is a fair endpoint when its answer is fair: the refusals are the answers' doing."""
    with hostile_endpoint(real_png()) as url:
        assert generate_from(otto, sdxl, url).status_code == 302  # to the new image
    assert GeneratedImage.objects.count() == 1
