"""In Chromium: the demo seeded as `make demo` seeds it (through hubsim's API and the console's sync), then
every page of the navigation, and the pages they lead to, shows the team's data: no 5xx, no script error."""

import pytest
from django.urls import reverse

from billing.models import Policy
from dashboard.context_processors import NAVIGATION
from dashboard.management.demo_fleet import FLEET
from dashboard.management.demo_seed import seed_demo
from endpoints_app.models import Endpoint, StatusEvent
from tests.fixtures.team import PASSWORD, Team
from tests.playground.live import log_in_browser

# Each page, and texts that only the seeded data puts on it.
PAGES = {
    "/": ("support-chat-vllm",),
    "/endpoints/": tuple(endpoint.name for endpoint in FLEET),
    "/endpoints/catalog/": ("Qwen",),
    "/endpoints/namespaces/": ("demo-org",),
    "/endpoints/audit/": ("Team monthly budget",),
    "/playground/": ("How do I reset my password?",),
    "/playground/images/": ("marketing-sdxl",),
    "/playground/gallery/": ("A lighthouse at dawn, watercolour",),
    "/playground/embeddings/": ("search-embed-tei",),
    "/billing/costs/": ("support-chat-vllm",),
    "/billing/usage/": ("maya", "leo"),
    "/billing/policies/": ("Team monthly budget", "Pause idle GPUs"),
    "/billing/policies/dry-run/": ("Team monthly budget",),
    "/admin/": ("Endpoints",),
    "/admin/endpoints_app/endpoint/": ("agents-sglang",),
}


def watch_for_problems(page) -> list[str]:
    """What goes wrong on the pages from now on: script errors, console errors, answers of 400 or more."""
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console on {page.url}: {message.text} {message.location}")

    def on_response(response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    return problems


@pytest.fixture
def demo(asgi_server, ready_team: Team, hubsim) -> Team:
    """The seeded demo, before the browser starts (its event loop in this thread would refuse the seeding's
    streamed answers)."""
    seed_demo(hubsim.url, ready_team.admin, PASSWORD)
    return ready_team


@pytest.mark.browser
def test_every_page_of_the_seeded_demo_shows_the_team_s_data(asgi_server, demo: Team, page) -> None:
    assert {e.name: e.status for e in Endpoint.objects.all()} == {e.name: e.final for e in FLEET}
    assert StatusEvent.objects.filter(endpoint__name="support-chat-vllm").count() > 20  # a month of workdays

    problems = watch_for_problems(page)
    log_in_browser(page, asgi_server.url, demo.admin)

    navigation = []
    for path, texts in PAGES.items():
        response = page.goto(f"{asgi_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        body = page.locator("body").inner_text()
        missing = [text for text in texts if text not in body]
        assert missing == [], f"{path} lacks {missing}"
        if not navigation:
            navigation = page.locator("nav a").evaluate_all("links => links.map(link => link.pathname)")
    detail = Endpoint.objects.get(name="support-chat-vllm")
    page.goto(f"{asgi_server.url}{reverse('endpoints:detail', args=[detail.pk])}")
    assert "paused" in page.locator("body").inner_text().lower()
    idle = Policy.objects.get(name="Pause idle GPUs", enabled=False)  # tried in dry run before it is enabled
    page.goto(f"{asgi_server.url}{reverse('billing:policy_dry_run', args=[idle.pk])}")
    assert "Pause idle GPUs" in page.locator("body").inner_text()

    assert len(navigation) == len(NAVIGATION)
    assert set(navigation) - set(PAGES) == set()  # every link of the navigation was opened
    assert problems == [], problems
