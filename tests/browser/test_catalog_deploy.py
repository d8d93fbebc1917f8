"""In Chromium: the catalog page fetches the catalog when it has none, filters it, shows each recipe's
hardware and price, and deploys a recipe under a chosen name: the operation is watched to running, like a
create, and the endpoint's page shows its engine. Saves the catalog as catalog.png
(tests/browser/screenshots.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser import screenshots
from tests.browser.test_endpoints_create_and_pause import log_in
from tests.fixtures.team import Team

GGUF_ON_CPU = "zesty-falafel-m2p7s4yj"  # Qwen/Qwen2.5-0.5B-Instruct-GGUF on llama.cpp, aws intel-spr x4


@pytest.mark.browser
def test_deploy_a_recipe_from_the_catalog_to_running(ready_team: Team, asgi_server, page) -> None:
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    log_in(page, asgi_server.url, ready_team.operator.username, "/endpoints/catalog/")

    # Never fetched: the page asks for the catalog and shows it once the worker has it, without a reload.
    expect(page.locator("[data-repo='BAAI/bge-small-en-v1.5']")).to_be_visible(timeout=30_000)

    page.select_option("#id_engine", "llamacpp")
    page.select_option("#id_accelerator", "cpu")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".catalog-model")).to_have_count(1)
    recipe = page.locator(f"[data-recipe='{GGUF_ON_CPU}']")
    expect(recipe).to_contain_text("Intel Sapphire Rapids x4")
    expect(recipe).to_contain_text("$0.13")
    screenshots.save(page, "catalog.png")

    recipe.get_by_role("link", name="Deploy").click()
    expect(page.locator("#id_name")).to_have_attribute("placeholder", "qwen2-5-0-5b-instruct-gguf-001")
    page.fill("#id_name", "qwen-gguf-cpu")
    page.get_by_role("button", name="Deploy").click()

    operation = page.locator("#form-progress .operation")
    expect(operation).to_have_attribute("data-state", "succeeded", timeout=30_000)
    expect(operation).to_contain_text("Done: the endpoint is running")
    page.get_by_role("link", name="Open qwen-gguf-cpu").click()
    expect(page.locator(".engine-section")).to_contain_text("llama.cpp")
    expect(page.locator(".engine-section")).to_contain_text("qwen2.5-0.5b-instruct-q4_k_m.gguf")
    assert page_errors == []
