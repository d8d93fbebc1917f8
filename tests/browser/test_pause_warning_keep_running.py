"""In Chromium: the operator follows a pause warning's "keep running" link, logs in, confirms on the page it
opens, and the endpoint stays running past the moment the idle policy would have paused it."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from billing import enforcement
from billing.models import Exclusion, Notification, PauseWarning, Policy, PolicyKind
from endpoints_app.models import Operation, StatusEvent
from tests.billing.fixtures import Fleet
from tests.fixtures.team import PASSWORD

LINK_START = "To keep it running for 2 h, open "


@pytest.mark.browser
def test_the_keep_running_link_keeps_the_endpoint_running_past_the_policys_time(
    asgi_server, fleet: Fleet, settings, page
) -> None:
    settings.CONSOLE_URL = asgi_server.url
    endpoint = fleet.deploy("idle-gpu")
    # Running (and unused) for 20 minutes: a 30-minute limit is 10 minutes away, inside the 15-minute notice.
    StatusEvent.objects.filter(endpoint=endpoint).update(at=F("at") - timedelta(minutes=20))
    Policy.objects.create(
        name="Idle GPUs", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30, notice_minutes=15, keep_running_hours=2
    )
    enforcement.enforce_all()
    body = Notification.objects.get(kind=Notification.Kind.PAUSE_WARNING).body
    link = body[body.index(LINK_START) + len(LINK_START) :]

    page.goto(link)
    page.fill("input[name=username]", fleet.team.operator.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Keep demo/idle-gpu running?")
    page.get_by_role("button", name="Keep running for 2 h").click()
    expect(page.locator(".kept-until")).to_contain_text("Kept running until")

    exclusion = Exclusion.objects.get(endpoint=endpoint)
    assert PauseWarning.objects.get().outcome == PauseWarning.Outcome.KEPT
    with time_machine.travel(timezone.now() + timedelta(minutes=40)):  # past the limit and the notice
        enforcement.enforce_all()
    assert exclusion.expires_at > timezone.now() + timedelta(minutes=100)
    assert not Operation.objects.exists()
    assert fleet.remote_state(endpoint) == "running"
