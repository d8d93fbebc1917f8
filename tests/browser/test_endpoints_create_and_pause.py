"""In Chromium: create an endpoint from the Gemma preset, watch it turn running without reloading, pause it
from the list, see it paused. Saves the list as endpoints.png (tests/browser/screenshots.py says where)."""

import pytest
from playwright.sync_api import expect

from tests.browser import screenshots
from tests.fixtures.team import PASSWORD, Team

NAME = "gemma-1-1-2b-it-001"  # the name suggested from the preset's repository


def log_in(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}{next_path}")


@pytest.mark.browser
def test_create_from_the_gemma_preset_then_pause_it_live(ready_team: Team, asgi_server, page) -> None:
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of the quick actions
    log_in(page, asgi_server.url, ready_team.operator.username, "/endpoints/new/")

    page.get_by_role("link", name="The tutorial: Gemma on TGI (in maintenance)").click()
    expect(page.locator("#id_repository")).to_have_value("google/gemma-1.1-2b-it")
    expect(page.locator("#id_name")).to_have_attribute("placeholder", NAME)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Create endpoint").click()

    operation = page.locator("#form-progress .operation")
    expect(operation).to_have_attribute("data-state", "succeeded", timeout=30_000)
    expect(operation).to_contain_text("Done: the endpoint is running")
    assert page.evaluate("window.stillTheSamePage") is True  # it turned running without a reload

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Endpoints").click()
    row = page.locator("tbody#endpoint-rows tr", has_text=NAME)
    expect(row.locator(".badge")).to_have_text("Running")
    page.evaluate("window.stillTheSamePage = true")
    row.get_by_role("button", name="Pause").click()
    expect(row.locator(".badge")).to_have_text("Paused", timeout=30_000)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#list-poller")).not_to_have_attribute("hx-trigger", "every 2s", timeout=10_000)

    screenshots.save(page, "endpoints.png")
    assert page_errors == []
