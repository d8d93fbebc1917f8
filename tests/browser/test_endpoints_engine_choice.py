"""In Chromium: the create form shows the chosen engine's settings only, the task picks its usual engine until
one is chosen by hand, and a refused create keeps the engine and the settings typed; then it deploys."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_endpoints_create_and_pause import log_in
from tests.fixtures.team import Team


@pytest.mark.browser
def test_the_engine_choice_shows_its_settings_and_survives_a_refusal(
    ready_team: Team, asgi_server, page
) -> None:
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    log_in(page, asgi_server.url, ready_team.operator.username, "/endpoints/new/")
    vllm_settings = page.locator("[data-engine-settings=vLLM]")
    tei_settings = page.locator("[data-engine-settings=tei]")

    expect(page.get_by_label("vLLM", exact=True)).to_be_checked()
    expect(vllm_settings).to_be_visible()
    expect(tei_settings).to_be_hidden()

    page.select_option("#id_task", "feature-extraction")  # the task's usual engine: TEI
    expect(page.get_by_label("Text Embeddings Inference")).to_be_checked()
    expect(tei_settings).to_be_visible()
    expect(vllm_settings).to_be_hidden()

    page.select_option("#id_task", "text-generation")
    page.get_by_label("llama.cpp").check()  # chosen by hand: the task no longer moves it
    page.select_option("#id_task", "text-to-image")
    expect(page.get_by_label("llama.cpp")).to_be_checked()

    page.select_option("#id_task", "text-generation")
    page.fill("#id_repository", "Qwen/Qwen2.5-0.5B-Instruct-GGUF")
    page.select_option("#id_hardware", "aws/us-east-1/intel-spr/x4")
    page.fill("#id_llamacpp_n_parallel", "2")
    page.get_by_role("button", name="Create endpoint").click()  # no GGUF file: refused on the form

    expect(page.locator("#endpoint-form .error")).to_contain_text("llama.cpp needs its gguf file")
    expect(page.get_by_label("llama.cpp")).to_be_checked()
    expect(page.locator("[data-engine-settings=llamacpp]")).to_be_visible()
    expect(page.locator("#id_llamacpp_n_parallel")).to_have_value("2")

    page.fill("#id_llamacpp_gguf_file", "qwen2.5-0.5b-instruct-q4_k_m.gguf")
    page.get_by_role("button", name="Create endpoint").click()
    operation = page.locator("#form-progress .operation")
    expect(operation).to_have_attribute("data-state", "succeeded", timeout=30_000)
    assert page_errors == []
