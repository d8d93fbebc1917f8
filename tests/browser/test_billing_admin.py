"""In Chromium: an admin bulk-pauses two running endpoints from the Django admin's Endpoint changelist and
sees them paused. Then saves the Costs page as costs.png (tests/browser/screenshots.py says where)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from endpoints_app.models import Endpoint
from tests.billing.factories import make_endpoint, record_timeline
from tests.billing.fixtures import Fleet, wait_for_operations
from tests.browser import screenshots

CHANGELIST = "/admin/endpoints_app/endpoint/"


def log_in_as(page, base_url: str, user: User) -> None:
    """The session of a Django test client login, handed to the browser."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def add_history(endpoint: Endpoint, days: int, hours: int, replicas: int) -> None:
    """Working days before today: billed from 09:00 for `hours` hours with `replicas` replicas."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    changes = []
    for back in range(days, 0, -1):
        day = start_of_today - timedelta(days=back)
        if day.weekday() < 5:
            morning = day + timedelta(hours=9)
            changes += [(morning, "running", replicas), (morning + timedelta(hours=hours), "paused", 0)]
    record_timeline(endpoint, *changes)


def row(page, endpoint: Endpoint):
    return page.locator("#result_list tr", has=page.locator(f"input.action-select[value='{endpoint.pk}']"))


@pytest.mark.browser
def test_an_admin_bulk_pauses_two_running_endpoints_from_the_changelist(
    asgi_server, fleet: Fleet, page
) -> None:
    # `page` last: the database is set up (and its role groups restored) before Playwright's event loop
    # starts in this thread, which would hand Django another connection wrapper without the saved rows.
    chat = fleet.deploy("gemma-chat", hardware="a10g")
    art = fleet.deploy("sdxl-art", hardware="a100", namespace="demo-org")
    other = fleet.deploy("idefics-vqa", hardware="l4")
    add_history(chat, days=20, hours=9, replicas=1)
    add_history(art, days=12, hours=5, replicas=2)
    retired = make_endpoint("demo-org", "old-sdxl", "2.50", "running", replicas=1)
    add_history(retired, days=28, hours=4, replicas=1)
    Endpoint.objects.filter(pk=retired.pk).update(is_gone=True)
    User.objects.filter(pk=fleet.team.admin.pk).update(is_staff=True)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    log_in_as(page, asgi_server.url, fleet.team.admin)

    page.goto(f"{asgi_server.url}{CHANGELIST}?billed=yes")
    row(page, chat).locator("input.action-select").check()
    row(page, art).locator("input.action-select").check()
    page.select_option("select[name=action]", "pause_selected")
    page.get_by_role("button", name="Go").click()

    expect(page.locator("h1")).to_have_text("Pause 2 endpoint(s)?")
    expect(page.locator(".total-saving")).to_have_text("$3.50/h")  # $1.00 + $2.50
    page.get_by_role("button", name="Yes, pause them").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        "Queued: pause demo/gemma-chat, demo-org/sdxl-art."
    )

    wait_for_operations()
    page.goto(f"{asgi_server.url}{CHANGELIST}")
    expect(row(page, chat).locator("td.field-status_label")).to_have_text("Paused")
    expect(row(page, art).locator("td.field-status_label")).to_have_text("Paused")
    expect(row(page, other).locator("td.field-status_label")).to_have_text("Running")
    assert [fleet.remote_state(e) for e in (chat, art, other)] == ["paused", "paused", "running"]

    page.goto(f"{asgi_server.url}/billing/costs/")
    expect(page.locator(".chart-svg rect").first).to_be_visible()
    screenshots.save(page, "costs.png")
    assert page_errors == []
