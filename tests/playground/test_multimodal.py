"""Multimodal questions: uploads are checked and re-encoded without metadata, and the image reaches the
endpoint as a data URL in the chat messages, which answers about it."""

import base64
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from playground_app.models import QueryMode, Upload
from tests.playground.fixtures import IDEFICS, through_proxy
from tests.playground.sse import answer_text, events_of, last


def photo(colour: str = "red", *, with_exif: bool = False, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    exif = Image.Exif()
    if with_exif:
        exif[0x010F] = "SecretCam"  # Make
        exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPS latitude
    image.save(buffer, format="JPEG", exif=exif.tobytes() if with_exif else b"")
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "photo.jpg"):
    return client.post(reverse("playground:upload"), {"image": SimpleUploadedFile(name, data)})


def test_an_upload_is_reencoded_without_its_exif(otto) -> None:
    response = upload(otto, photo(with_exif=True))
    assert response.status_code == 201
    stored = Upload.objects.get(pk=response.json()["id"])
    served = Image.open(io.BytesIO(otto.get(response.json()["url"]).getvalue()))
    assert (served.format, served.size) == ("JPEG", (64, 48))
    assert "exif" not in served.info and not served.getexif()
    assert stored.content_type == "image/jpeg"


def test_a_file_that_is_not_an_image_is_refused(otto) -> None:
    response = upload(otto, b"%PDF-1.7 not an image", name="notes.pdf")
    assert response.status_code == 400
    assert response.json() == {"message": "The file is not a readable image."}


@override_settings(PLAYGROUND_UPLOAD_MAX_BYTES=1000)
def test_a_too_large_image_is_refused(otto) -> None:
    response = upload(otto, photo(size=(400, 400)))
    assert response.status_code == 400
    assert response.json() == {"message": "The image is larger than 1000\xa0bytes."}
    assert not Upload.objects.exists()


def test_a_question_about_an_image_reaches_the_endpoint_as_a_data_url(deploy, otto, proxy) -> None:
    endpoint = through_proxy(deploy("idefics-chat", IDEFICS), proxy)
    upload_id = upload(otto, photo("red")).json()["id"]
    events = events_of(
        otto.post(
            reverse("playground:answer"),
            {
                "endpoint": endpoint.pk,
                "mode": QueryMode.MESSAGES,
                "text": "What colour is this?",
                "image": upload_id,
                "max_new_tokens": "60",
            },
        )
    )
    (body,) = proxy.bodies("/v1/chat/completions")
    (message,) = body["messages"]
    image_part, text_part = message["content"]
    assert text_part == {"type": "text", "text": "What colour is this?"}
    prefix, encoded = image_part["image_url"]["url"].split(",", 1)
    assert prefix == "data:image/jpeg;base64"
    assert Image.open(io.BytesIO(base64.b64decode(encoded))).size == (64, 48)
    assert "red" in answer_text(events).lower()
    assert last(events, "done")


def test_raw_mode_refuses_images(deploy, otto) -> None:
    endpoint = deploy("idefics-raw", IDEFICS)
    upload_id = upload(otto, photo()).json()["id"]
    response = otto.post(
        reverse("playground:answer"),
        {"endpoint": endpoint.pk, "mode": QueryMode.RAW, "text": "What is this?", "image": upload_id},
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Images go through the messages API")
