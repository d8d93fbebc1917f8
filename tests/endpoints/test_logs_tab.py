"""The Logs tab: the endpoint's lines read from the live hubsim's logs API when the tab is opened, filtered by
level and replica, older ones on "Load more"; an API failure is said in words."""

import re

import httpx2
from django.test import Client
from django.urls import reverse

from tests.fixtures.team import DEMO_TOKEN

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}
GOOD = {"inputs": "Hello", "parameters": {"max_new_tokens": 2}}
REFUSED = {"inputs": "Hello", "parameters": {"max_new_tokens": 0}}  # TGI answers 422
LINE = re.compile(r'<div class="log-line log-(\w+)">.*?<span class="log-replica">([\w-]+)</span>', re.S)
INTO_TAB = {"hx-request": "true", "hx-target": "endpoint-tab"}


def send(url: str, body: dict, times: int = 1) -> None:
    for _ in range(times):
        httpx2.post(f"{url}/generate", json=body, headers=DEMO, timeout=10)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lines(html: str) -> list[tuple[str, str]]:
    """(level, replica) of each line shown."""
    return LINE.findall(html)


def test_the_tab_shows_the_latest_fifty_lines_and_loads_the_ones_before(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    send(endpoint.url, GOOD, 60)  # 60 runtime lines after the deployment's 5
    client = logged_in(fleet.team.viewer)
    url = reverse("endpoints:logs", args=[endpoint.pk])

    first = client.get(url, headers=INTO_TAB)
    more = re.search(r'hx-get="([^"]+cursor=[^"]+)"', first.content.decode())
    older = client.get(more.group(1).replace("&amp;", "&"), headers={"hx-request": "true", "hx-target": ""})

    assert len(lines(first.content.decode())) == 50
    assert "POST /generate HTTP/1.1" in first.content.decode()
    assert len(lines(older.content.decode())) == 15
    assert "Deployment" in older.content.decode() and "Load more" not in older.content.decode()


def test_the_level_filter_shows_warnings_and_errors_only(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    send(endpoint.url, GOOD, 3)
    send(endpoint.url, REFUSED, 2)
    page = logged_in(fleet.team.viewer).get(reverse("endpoints:logs", args=[endpoint.pk]), {"level": "warn"})
    assert [level for level, _ in lines(page.content.decode())] == ["warn", "warn"]


def test_the_replica_filter_shows_that_replica_only(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu", min_replica=2)
    send(endpoint.url, GOOD, 4)
    client = logged_in(fleet.team.viewer)
    url = reverse("endpoints:logs", args=[endpoint.pk])
    replicas = sorted({replica for _, replica in lines(client.get(url).content.decode())})

    filtered = client.get(url, {"replica": replicas[0]}).content.decode()

    assert len(replicas) == 2
    assert {replica for _, replica in lines(filtered)} == {replicas[0]}
    assert f'<option value="{replicas[0]}" selected>' in filtered


def test_an_api_failure_is_a_message_not_an_error_page(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    fleet.hubsim.control.inject_fault("GET", "/v2/endpoint/*/logs", 503)
    page = logged_in(fleet.team.viewer).get(reverse("endpoints:logs", args=[endpoint.pk]))
    assert page.status_code == 200
    assert f"Hugging Face failed to read the logs of demo/{endpoint.name} (HTTP 503)" in page.content.decode()


def test_a_filter_that_cannot_be_read_is_said_and_nothing_is_asked(fleet) -> None:
    endpoint = fleet.deploy("chat-gpu")
    fleet.hubsim.control.reset_requests()
    page = logged_in(fleet.team.viewer).get(
        reverse("endpoints:logs", args=[endpoint.pk]), {"replica": "a b/.."}
    )
    assert page.status_code == 200
    assert "Use letters, digits and dashes only." in page.content.decode()
    assert fleet.hubsim.control.request_counts()["total"] == 0
