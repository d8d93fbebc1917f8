"""A blind comparison in a real Chromium: from the question to the vote, the endpoints shown only after it."""

import pytest

from playground_app.models import Comparison
from tests.playground.live import log_in_browser


@pytest.mark.browser
def test_a_blind_comparison_from_question_to_vote(team, deploy, page, asgi_server) -> None:
    first, second = deploy("gemma-north"), deploy("gemma-south")
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}/playground/compare/")
    page.check(f"input[name=endpoints][value='{first.pk}']")
    page.check(f"input[name=endpoints][value='{second.pk}']")
    page.fill("#id_text", "Name a blue fruit.")
    page.check("#id_blind")
    page.click("#compare-form button[type=submit]")

    # Both columns stream on their own; once both answers are in, the page offers the vote.
    page.wait_for_selector("#votes button[value=A]", timeout=30_000)
    for letter in "AB":
        column = page.locator(f"#column-{letter}")
        assert "tokens/s" in column.locator(".answer-stats").inner_text()
        assert column.locator(".answer").inner_text().strip()
    assert "gemma-north" not in page.content() and "gemma-south" not in page.content()
    page.click("#votes button[value=A]")

    page.wait_for_selector("text=Your vote is counted.")
    comparison = Comparison.objects.get()
    winner = comparison.votes.get().winner
    assert winner.letter == "A" and winner.endpoint in (first, second)
    assert f"A · {winner.endpoint_label}" in page.locator("#column-A h2").inner_text()
    assert "est. $" in page.locator("#column-A .answer-stats").inner_text()


@pytest.mark.browser
def test_a_paused_column_is_resumed_from_the_page_then_answers(
    team, deploy, page, asgi_server, celery_worker
) -> None:
    running, paused = deploy("gemma-awake"), deploy("gemma-asleep", state="paused")
    log_in_browser(page, asgi_server.url, team.operator)
    page.goto(f"{asgi_server.url}/playground/compare/")
    page.check(f"input[name=endpoints][value='{running.pk}']")
    page.check(f"input[name=endpoints][value='{paused.pk}']")
    page.fill("#id_text", "Name a red fruit.")
    page.click("#compare-form button[type=submit]")

    asleep = page.locator(".compare-column", has_text="gemma-asleep")
    asleep.locator(".resume-column").click()  # the running column answers meanwhile
    page.wait_for_selector("#votes button[value=tie]", timeout=60_000)
    for letter in "AB":
        assert "tokens/s" in page.locator(f"#column-{letter} .answer-stats").inner_text()
    paused.refresh_from_db()
    assert paused.status == "running"
