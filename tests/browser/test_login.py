"""Logging in through a real Chromium."""

import pytest
from django.contrib.auth.models import User

from tests.browser import screenshots


@pytest.mark.browser
def test_login_through_the_form_reaches_the_overview(page, asgi_server) -> None:
    User.objects.create_user("alice", password="correct horse battery")

    page.goto(f"{asgi_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")

    page.wait_for_url(f"{asgi_server.url}/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator(".mainnav a[aria-current=page]").inner_text() == "Overview"
    screenshots.save(page, "overview.png")


@pytest.mark.browser
def test_pages_load_with_no_content_security_policy_violation(page, asgi_server) -> None:
    User.objects.create_user("alice", password="correct horse battery")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto(f"{asgi_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{asgi_server.url}/")
    page.wait_for_load_state("networkidle")
    assert violations == []
