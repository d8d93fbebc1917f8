"""The endpoint list: filters, sorting, prices and burn rate, quick actions by role, and polling only while
something moves (answering 304 when nothing did)."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from endpoints_app.models import Namespace, Operation, Tag
from endpoints_app.roles import Role
from tests.endpoints.mirror_rows import endpoint_row, namespace_with_token
from tests.fixtures.team import make_user

pytestmark = pytest.mark.django_db
LIST = reverse("endpoints:list")
LIVE = reverse("endpoints:list_live")

ClientAs = Callable[[str], Client]


def names_in(response) -> list[str]:
    return [endpoint.name for endpoint in response.context["page"]]


def test_the_list_shows_prices_burn_rate_and_a_copy_button(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint_row(namespace, "gemma-001", price_per_hour=Decimal("1.80"), target_replica=2, ready_replica=2)
    endpoint_row(namespace, "sdxl-001", status="paused", price_per_hour=Decimal("2.50"))
    page = client_as("viewer").get(LIST).content.decode()
    assert "$1.80" in page and "$2.50" in page
    assert "$3.60/h" in page  # the burn rate: two replicas of what runs; the paused one costs nothing
    assert 'data-copy="http://127.0.0.1:9/e/gemma-001"' in page


def test_what_the_api_says_of_an_endpoint_is_shown_as_text(client_as: ClientAs, namespace: Namespace) -> None:
    # The rows are rendered by Jinja2 (templates/jinja2/): its escaping must hold like Django's.
    hostile = "<script>alert(1)</script>"
    endpoint_row(namespace, "odd-001", repository=f"team/{hostile}", task=hostile, region=hostile,
                 url='http://127.0.0.1:9/e/x?"><img src=x onerror=alert(2)>')  # fmt: skip
    operator = client_as("operator")
    for page in (operator.get(LIST).content.decode(), operator.get(LIVE).content.decode()):
        assert "<script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert 'data-copy="http://127.0.0.1:9/e/x?&#34;&gt;&lt;img' in page


def test_filters_narrow_the_list(client_as: ClientAs, namespace: Namespace) -> None:
    other = namespace_with_token("demo-org")
    endpoint_row(namespace, "gemma-001")
    endpoint_row(namespace, "sdxl-001", repository="stabilityai/sdxl", task="text-to-image", status="paused")
    endpoint_row(other, "cpu-001", vendor="gcp", region="us-east4")
    endpoint_row(namespace, "old-001", is_gone=True)
    endpoint_row(namespace, "tagged-001").tags.add(Tag.objects.create(name="team-nlp"))
    client = client_as("viewer")
    assert names_in(client.get(LIST, {"namespace": "demo-org"})) == ["cpu-001"]
    assert names_in(client.get(LIST, {"status": "paused"})) == ["sdxl-001"]
    assert names_in(client.get(LIST, {"task": "text-to-image"})) == ["sdxl-001"]
    assert names_in(client.get(LIST, {"vendor": "gcp"})) == ["cpu-001"]
    assert names_in(client.get(LIST, {"tag": "team-nlp"})) == ["tagged-001"]
    assert names_in(client.get(LIST, {"q": "SDXL"})) == ["sdxl-001"]
    assert names_in(client.get(LIST, {"status": "gone"})) == ["old-001"]
    assert names_in(client.get(LIST, {"status": "no-such-state"})) == [  # an invalid value is ignored
        "gemma-001",
        "sdxl-001",
        "tagged-001",
        "cpu-001",
    ]


def test_columns_sort_both_ways(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint_row(namespace, "cheap-001", price_per_hour=Decimal("0.50"))
    endpoint_row(namespace, "dear-001", price_per_hour=Decimal("9.00"))
    endpoint_row(namespace, "mid-001", price_per_hour=Decimal("2.00"))
    client = client_as("viewer")
    ascending = client.get(LIST, {"sort": "price"})
    assert names_in(ascending) == ["cheap-001", "mid-001", "dear-001"]
    assert '<a href="?sort=-price">$/hour ↑</a>' in ascending.content.decode()
    assert names_in(client.get(LIST, {"sort": "-price"})) == ["dear-001", "mid-001", "cheap-001"]


def test_an_empty_mirror_leads_to_create(client_as: ClientAs, namespace: Namespace) -> None:
    page = client_as("operator").get(LIST).content.decode()
    assert "No endpoints yet" in page
    assert f'href="{reverse("endpoints:create")}">Create an endpoint</a>' in page


def test_quick_actions_follow_the_status_and_the_role(client_as: ClientAs, namespace: Namespace) -> None:
    running = endpoint_row(namespace, "gemma-001")
    paused = endpoint_row(namespace, "sdxl-001", status="paused")
    operator_page = client_as("operator").get(LIST).content.decode()
    assert f'hx-post="{reverse("endpoints:pause", args=[running.pk])}"' in operator_page
    assert f'hx-post="{reverse("endpoints:scale_to_zero", args=[running.pk])}"' in operator_page
    assert f'hx-post="{reverse("endpoints:resume", args=[paused.pk])}"' in operator_page
    assert f'hx-post="{reverse("endpoints:pause", args=[paused.pk])}"' not in operator_page
    assert 'hx-confirm="Pause demo/gemma-001?' in operator_page
    viewer_page = client_as("viewer").get(LIST).content.decode()
    assert "hx-post" not in viewer_page
    assert "Create endpoint" not in viewer_page


def test_the_rows_forms_carry_one_csrf_token_that_a_pause_accepts(namespace: Namespace) -> None:
    """One masked token for all the rows, as Django's {% csrf_token %} gives a page (not one per form)."""
    running = endpoint_row(namespace, "gemma-001")
    endpoint_row(namespace, "gemma-002")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("otto", Role.OPERATOR))
    page = client.get(LIST).content.decode()
    row_forms = re.findall(
        r'hx-confirm="[^"]*"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page
    )
    tokens = set(row_forms)
    assert (len(row_forms), len(tokens)) == (4, 1)  # pause and scale to zero, on each row
    pause = client.post(reverse("endpoints:pause", args=[running.pk]), {"csrfmiddlewaretoken": tokens.pop()})
    assert (pause.status_code, pause.url) == (302, reverse("endpoints:detail", args=[running.pk]))


def test_nothing_polls_when_all_is_steady(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint_row(namespace, "gemma-001")
    endpoint_row(namespace, "sdxl-001", status="paused")
    assert "every 2s" not in client_as("viewer").get(LIST).content.decode()


def test_the_list_polls_while_an_endpoint_is_in_transition(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint_row(namespace, "gemma-001", status="initializing")
    page = client_as("viewer").get(LIST, {"sort": "status"}).content.decode()
    assert f'hx-get="{LIVE}?sort=status" hx-trigger="every 2s"' in page


def test_the_list_polls_while_an_operation_is_active(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001")
    Operation.objects.create(
        kind="pause", namespace=namespace, endpoint_name=endpoint.name, endpoint=endpoint
    )
    page = client_as("viewer").get(LIST).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Pause: queued" in page


def test_the_live_part_answers_304_until_something_changes(client_as: ClientAs, namespace: Namespace) -> None:
    endpoint = endpoint_row(namespace, "gemma-001", status="initializing")
    client = client_as("viewer")
    first = client.get(LIVE)
    assert first.status_code == 200
    assert 'id="endpoint-rows" hx-swap-oob="true"' in first.content.decode()
    assert client.get(LIVE, headers={"if-none-match": first["ETag"]}).status_code == 304

    endpoint.status, endpoint.ready_replica = "running", 1
    endpoint.save()
    changed = client.get(LIVE, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert 'class="badge badge-running"' in changed.content.decode()
    assert 'hx-trigger="every 2s"' not in changed.content.decode()  # steady again: the poller stops


def test_the_number_of_queries_does_not_grow_with_the_rows(client_as: ClientAs, namespace: Namespace) -> None:
    client = client_as("operator")
    tag = Tag.objects.create(name="team-nlp")

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    for number in range(3):
        endpoint_row(namespace, f"small-{number:03d}").tags.add(tag)
    queries_for_list()  # the first page of a session also loads what later pages find cached
    few = queries_for_list()
    for number in range(60):
        endpoint = endpoint_row(namespace, f"many-{number:03d}", status="initializing")
        endpoint.tags.add(tag)
        Operation.objects.create(
            kind="pause", namespace=namespace, endpoint_name=endpoint.name, endpoint=endpoint
        )
    assert queries_for_list() <= few
