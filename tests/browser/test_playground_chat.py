"""The chat in a real Chromium: the answer appears token by token, then as rendered Markdown."""

import pytest

from tests.playground.live import log_in_browser
from tests.playground.test_history_window import long_conversation

STREAMING_TEXT = ".chat-message.assistant.streaming .streaming-text"


@pytest.mark.browser
def test_a_chat_answer_appears_incrementally(team, deploy, page, asgi_server) -> None:
    endpoint = deploy("gemma-browser")
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}/playground/?endpoint={endpoint.pk}")
    page.click("details.parameters summary")
    page.fill("#id_max_new_tokens", "300")
    page.fill("#id_temperature", "0.9")
    page.fill("#id_text", "Tell me a long story about the sea.")
    page.click("#send-button")

    # Part of the answer is on the page while the rest is still coming.
    page.wait_for_selector(f"{STREAMING_TEXT}:not(:empty)")
    partial = page.locator(STREAMING_TEXT).text_content()
    page.wait_for_selector(".chat-message.assistant:not(.streaming) .answer-stats:has-text('tokens/s')")
    final = page.locator(".chat-message.assistant .answer").inner_text()
    assert 0 < len(partial) < len(final)
    assert (
        page.locator(".chat-message.user .question-text").inner_text()
        == "Tell me a long story about the sea."
    )
    assert "/playground/c/" in page.url  # the conversation's permalink


@pytest.mark.browser
def test_the_notice_of_turns_left_out_shows_under_the_live_answer(team, deploy, page, asgi_server) -> None:
    endpoint = deploy("gemma-small-browser", engine="vllm", container_args=["--max-model-len", "512"])
    conversation = long_conversation(team.operator)
    conversation.endpoint = endpoint
    conversation.save()
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}{conversation.get_absolute_url()}")
    page.fill("#id_text", "And tomorrow?")
    page.click("#send-button")

    notice = page.locator(".chat-message.assistant .history-notice").last
    notice.wait_for()
    assert notice.inner_text().endswith(
        f"earlier messages were not sent: {endpoint.full_name} accepts 512 tokens."
    )
