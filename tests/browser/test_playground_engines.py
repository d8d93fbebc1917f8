"""The playground on other engines than TGI, in a real Chromium: a vLLM chat in raw mode, the composer
following the chosen endpoint's engine, and a TEI endpoint's embeddings panel."""

import pytest

from tests.browser import screenshots
from tests.playground.fixtures import BGE, GEMMA, QWEN
from tests.playground.live import log_in_browser


@pytest.mark.browser
def test_a_vllm_chat_answers_in_raw_mode_and_the_composer_follows_the_engine(
    page, asgi_server, team, deploy
) -> None:
    vllm = deploy("vllm-browser", QWEN, engine="vllm")
    custom = deploy("custom-browser", GEMMA, engine="custom")
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}/playground/?endpoint={vllm.pk}")
    assert page.inner_text("#endpoint-engine") == "vLLM"
    raw = page.locator("input[name=mode][value=raw]")
    assert page.locator("label:has(input[value=raw]) .mode-label").inner_text() == (
        "Raw: templated prompt to /v1/completions"
    )
    raw.check()
    page.fill("#id_text", "Tell me about the sea.")
    page.wait_for_selector("#prompt-text:has-text('<|im_start|>user')")  # the console's template, shown
    page.click("#send-button")
    page.wait_for_selector(".chat-message.assistant:not(.streaming) .answer-stats:has-text('tokens/s')")
    assert page.inner_text(".chat-message.assistant .answer").strip()

    page.select_option("#id_endpoint", str(custom.pk))
    notice = page.locator("#engine-unsupported")
    assert "runs a container the playground cannot talk to" in notice.inner_text()
    assert page.locator("#send-button").is_disabled() and raw.is_disabled()
    screenshots.save(page, "playground-unknown-engine.png")
    page.select_option("#id_endpoint", str(vllm.pk))
    assert notice.is_hidden() and page.locator("#send-button").is_enabled()


@pytest.mark.browser
def test_the_embeddings_panel_shows_the_similarity_matrix(page, asgi_server, team, deploy) -> None:
    tei = deploy("bge-browser", BGE, engine="tei")
    log_in_browser(page, asgi_server.url, team.viewer)
    page.goto(f"{asgi_server.url}/playground/?endpoint={tei.pk}")  # "Open in playground"
    page.wait_for_url("**/playground/embeddings/?endpoint=*")
    page.click("#embeddings-form button[type=submit]")  # the example sentences: bread twice, planets twice
    page.wait_for_selector("#similarity table")
    cells = [
        [float(text) for text in row.locator("td").all_inner_texts()]
        for row in page.locator("#similarity tbody tr").all()
    ]
    assert [cells[index][index] for index in range(4)] == [1.0, 1.0, 1.0, 1.0]
    assert min(cells[0][1], cells[2][3]) > max(cells[0][2], cells[0][3], cells[1][2], cells[1][3])
    assert page.locator("#similarity td.shade-10").count() == 4  # the diagonal, darkest
    screenshots.save(page, "embeddings.png")
