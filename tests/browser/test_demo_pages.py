"""In Chromium: the demo seeded as `make demo` seeds it (through hubsim's API and the console's sync), then
every page of the navigation, and the pages they lead to, shows the team's data: no 5xx, no script error."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from billing.models import Policy
from dashboard.management.demo_fleet import FLEET
from dashboard.management.demo_seed import seed_demo
from endpoints_app.models import Endpoint, StatusEvent
from tests.fixtures.team import PASSWORD, Team

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
    "/billing/policies/": ("Team monthly budget", "Pause idle GPUs"),
    "/billing/policies/dry-run/": ("Team monthly budget",),
    "/admin/": ("Endpoints",),
    "/admin/endpoints_app/endpoint/": ("agents-sglang",),
}


def log_in_as(page, base_url: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


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

    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("response", lambda response: response.status >= 500 and problems.append(f"{response.status} {response.url}"))
    log_in_as(page, asgi_server.url, demo.admin)

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
    page.goto(f"{asgi_server.url}{detail.get_absolute_url()}")
    assert "paused" in page.locator("body").inner_text().lower()
    idle = Policy.objects.get(name="Pause idle GPUs", enabled=False)  # tried in dry run before it is enabled
    page.goto(f"{asgi_server.url}{reverse('billing:policy_dry_run', args=[idle.pk])}")
    assert "Pause idle GPUs" in page.locator("body").inner_text()

    assert set(navigation) - set(PAGES) == set()  # every link of the navigation was opened
    assert problems == []
