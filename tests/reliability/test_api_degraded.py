"""The gateway against a misbehaving API: Retry-After honoured, and repeated failures shown once, as a
banner, instead of an error on every page."""

import time

from django.test import Client

from dashboard import banners
from endpoints_app.hf import HfGateway
from endpoints_app.services import sync
from tests.fixtures.team import DEMO_TOKEN, Team

LIST_ROUTE = "GET /v2/endpoint/{namespace}"


def test_a_429_is_retried_after_the_time_it_asks_for(team: Team, hubsim) -> None:
    hubsim.control.inject_fault("GET", "/v2/endpoint/demo", 429, times=1, retry_after=1)
    hubsim.control.reset_requests()
    started = time.monotonic()
    assert HfGateway(DEMO_TOKEN).list_endpoints("demo") == []
    assert time.monotonic() - started >= 1.0
    assert hubsim.control.request_counts()["by_route"][LIST_ROUTE] == 2


def test_repeated_failures_show_the_degraded_banner_until_a_call_succeeds(team: Team, hubsim) -> None:
    client = Client()
    client.force_login(team.viewer)
    hubsim.control.inject_fault("GET", "/v2/endpoint/*", 503, times=100)
    assert not sync.sync_namespace(team.namespace).ok  # four attempts, four failures in a row

    page = client.get("/endpoints/")
    assert page.status_code == 200
    assert b"The Hugging Face API is degraded" in page.content

    hubsim.control.clear_faults()
    assert sync.sync_namespace(team.namespace).ok
    banners.forget()
    assert b"degraded" not in client.get("/endpoints/").content
