"""In Chromium: the endpoint page's Analytics and Logs tabs load in place (htmx), each at its own address, and
the Logs tab's level filter and "Load more" work without leaving the page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from endpoints_app.services import metrics_collection
from tests.browser.test_endpoints_create_and_pause import log_in


@pytest.mark.browser
def test_the_tabs_load_in_place(fleet, asgi_server, page) -> None:
    endpoint = fleet.deploy("chat-gpu")
    metrics_collection.collect_namespace(fleet.team.namespace)
    for _ in range(55):  # more than one page of log lines
        fleet.use(endpoint)
    metrics_collection.collect_namespace(fleet.team.namespace)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    detail = reverse("endpoints:detail", args=[endpoint.pk])
    log_in(page, asgi_server.url, fleet.team.viewer.username, detail)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_test_id("requests-total")).to_have_text("55")
    page.get_by_role("link", name="1h").click()
    expect(page).to_have_url(
        f"{asgi_server.url}{reverse('endpoints:analytics', args=[endpoint.pk])}?window=1h"
    )
    expect(page.locator("#endpoint-tab svg.chart-svg")).to_have_count(3)

    page.get_by_role("link", name="Logs").click()
    lines = page.locator(".log-line")
    expect(lines).to_have_count(50)
    page.get_by_role("button", name="Load more").click()
    expect(lines).to_have_count(60)  # the 55 requests and the deployment's 5 lines
    page.select_option("select[name=level]", "error")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No log line matches.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page_errors == []
