"""In Chromium: a refused create keeps what was typed, and its errors go once the form is accepted."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_endpoints_create_and_pause import log_in
from tests.fixtures.team import Team


@pytest.mark.browser
def test_a_refused_create_keeps_what_was_typed_then_goes_through(ready_team: Team, asgi_server, page) -> None:
    log_in(page, asgi_server.url, ready_team.operator.username, "/endpoints/new/?preset=sdxl")
    page.fill("#id_name", "Bad_Name")
    page.fill("#id_tags", "team-art")
    page.get_by_role("button", name="Create endpoint").click()

    expect(page.locator("#name-field .error")).to_contain_text("Not a valid endpoint name")
    expect(page.locator("#id_tags")).to_have_value("team-art")
    expect(page.locator("#id_repository")).to_have_value("stabilityai/stable-diffusion-xl-base-1.0")

    page.fill("#id_name", "sdxl-001")
    page.get_by_role("button", name="Create endpoint").click()
    expect(page.locator("#form-progress .operation")).to_have_attribute(
        "data-state", "succeeded", timeout=30_000
    )
    expect(page.locator("#endpoint-form .error")).to_have_count(0)
    expect(page.locator("#id_tags")).to_have_value("team-art")
