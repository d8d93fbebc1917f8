"""The playground reaches mirrored endpoints only, at their mirrored http(s) URL (no address from a browser:
tests/playground/test_known_urls_and_code.py), and takes uploads of the accepted image types within the size
and pixel limits only, serving back its own re-encoded copy.

The mirrored rows point at a port nothing listens on: a request that got past a check would fail with
"could not be reached", not with the refusal asserted."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from endpoints_app.models import Endpoint
from playground_app.models import Conversation, GeneratedImage, Upload
from tests.endpoints.mirror_rows import endpoint_row, namespace_with_token
from tests.security.rows import make_people, picture

pytestmark = pytest.mark.django_db

QUESTION = {"mode": "messages", "text": "Name a colour.", "max_new_tokens": "20"}
IMAGE_FORM = {
    "prompt": "a lighthouse",
    "width": "512",
    "height": "512",
    "num_inference_steps": "4",
    "guidance_scale": "7",
    "count": "1",
}


@pytest.fixture
def otto(redis_client: object) -> Client:
    """The operator, logged in (sends count against the rate limit, kept in Redis)."""
    client = Client()
    client.force_login(make_people(staff=False).operator)
    return client


@pytest.fixture
def chat_endpoint() -> Endpoint:
    return endpoint_row(namespace_with_token("demo"), "gemma-001")


def ask(client: Client, endpoint_id: int, **fields: str) -> dict:
    response = client.post(reverse("playground:answer"), {**QUESTION, "endpoint": endpoint_id, **fields})
    assert response.status_code in (400, 409), response
    return {"status": response.status_code, **response.json()}


def test_an_endpoint_that_is_not_in_the_mirror_is_refused(otto: Client, chat_endpoint: Endpoint) -> None:
    answer = ask(otto, chat_endpoint.pk + 1000)
    assert (answer["status"], list(answer["errors"])) == (400, ["endpoint"])
    assert not Conversation.objects.exists()


def test_a_text_to_image_endpoint_is_not_a_chat_endpoint(otto: Client, chat_endpoint: Endpoint) -> None:
    painter = endpoint_row(chat_endpoint.namespace, "sdxl-001", task="text-to-image")
    answer = ask(otto, painter.pk)
    assert (answer["status"], list(answer["errors"])) == (400, ["endpoint"])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "//127.0.0.1:9/e/x"])
def test_a_mirrored_address_that_is_not_an_http_url_is_never_requested(
    otto: Client, chat_endpoint: Endpoint, url: str
) -> None:
    Endpoint.objects.filter(pk=chat_endpoint.pk).update(url=url)
    answer = ask(otto, chat_endpoint.pk)
    assert answer == {
        "status": 409,
        "message": "demo/gemma-001 has no URL yet: it is Running.",
        "endpoint_status": "running",
    }


def test_a_chat_endpoint_is_not_asked_for_images(otto: Client, chat_endpoint: Endpoint) -> None:
    response = otto.post(reverse("playground:generate"), {**IMAGE_FORM, "endpoint": chat_endpoint.pk})
    assert list(response.context["form"].errors) == ["endpoint"]
    assert not GeneratedImage.objects.exists()


def upload(client: Client, data: bytes, name: str) -> dict:
    response = client.post(reverse("playground:upload"), {"image": SimpleUploadedFile(name, data)})
    return {"status": response.status_code, **response.json()}


@pytest.mark.parametrize("image_format", ["BMP", "TIFF", "ICO", "PPM"])
def test_an_image_of_another_type_is_refused(otto: Client, image_format: str) -> None:
    refused = upload(otto, picture(image_format), f"picture.{image_format.lower()}")
    assert refused == {"status": 400, "message": "Only JPEG, PNG, WebP and GIF images are accepted."}
    assert not Upload.objects.exists()


def test_an_svg_is_refused(otto: Client) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="8" height="8"/></svg>'
    refused = upload(otto, svg, "drawing.svg")
    assert refused == {"status": 400, "message": "The file is not a readable image."}


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(otto: Client) -> None:
    # 64 million pixels in a few kilobytes: within the byte limit, beyond the pixel limit.
    bomb = picture(size=(8000, 8000), mode="1")
    assert len(bomb) < 100_000
    assert upload(otto, bomb, "blank.png") == {
        "status": 400,
        "message": "The image has too many pixels (8000 x 8000; at most 16,777,216).",
    }


def test_an_upload_is_served_back_as_the_image_it_was_reencoded_to(otto: Client) -> None:
    accepted = upload(otto, picture(), "page.html")
    served = otto.get(accepted["url"])
    assert (served["Content-Type"], served["X-Content-Type-Options"]) == ("image/jpeg", "nosniff")
    assert Image.open(io.BytesIO(served.content)).format == "JPEG"
