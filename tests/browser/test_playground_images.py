"""Images in a real Chromium: an SDXL image lands in the team gallery, and "re-use these settings" fills
the form with its parameters."""

import pytest

from playground_app.models import GeneratedImage
from tests.playground.fixtures import SDXL
from tests.playground.live import log_in_browser


@pytest.mark.browser
def test_an_sdxl_image_appears_in_the_gallery_and_its_settings_can_be_reused(
    page, asgi_server, team, deploy
) -> None:
    deploy("sdxl-browser", SDXL)
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}/playground/images/")
    page.fill("#id_prompt", "a green forest in the morning")
    page.fill("#id_width", "512")
    page.fill("#id_height", "512")
    page.fill("#id_seed", "")
    page.fill("#id_count", "1")
    page.click("#image-form button[type=submit]")
    page.wait_for_selector("#new-images .image-card img")
    image = GeneratedImage.objects.get()

    page.goto(f"{asgi_server.url}/playground/gallery/")
    card = page.locator("#gallery .image-card").first
    assert "a green forest in the morning" in card.inner_text()
    assert card.locator("img").evaluate("img => img.naturalWidth") > 0  # the thumbnail really loads
    card.locator("a").click()
    page.click("#reuse-settings")

    page.wait_for_url("**/playground/images/?reuse=*")
    assert page.input_value("#id_prompt") == "a green forest in the morning"
    assert page.input_value("#id_seed") == str(image.seed)
    assert page.input_value("#id_width") == "512"
