"""A multimodal question in a real Chromium: an uploaded image is described by the endpoint."""

import pytest
from PIL import Image

from tests.playground.fixtures import IDEFICS
from tests.playground.live import log_in_browser


@pytest.mark.browser
def test_a_multimodal_upload_gets_an_answer_about_the_image(
    page, asgi_server, team, deploy, tmp_path
) -> None:
    endpoint = deploy("idefics-browser", IDEFICS)
    picture = tmp_path / "red-square.png"
    Image.new("RGB", (96, 96), "red").save(picture)
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}/playground/?endpoint={endpoint.pk}")

    page.set_input_files("#image-input", str(picture))
    page.wait_for_selector("#attachment-preview img")
    page.fill("#id_text", "What colour is this picture?")
    page.click("#send-button")

    answer = page.locator(".chat-message.assistant:not(.streaming) .answer")
    answer.wait_for()
    assert "red" in answer.inner_text().lower()
    assert page.locator(".chat-message.user img.attached-image").count() == 1
