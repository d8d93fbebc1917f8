"""The Usage page's people and endpoints, and the Costs page's tag groups, add up to the Costs page's total.

Hand-computed on February 2030, "now" 2030-02-03 12:00 UTC (endpoints all paused by then, so nothing moves):
chat-fast   $1.00/h, tag team-a,         running Feb 1 08:00-12:00  -> $4.00
chat-slow   $2.50/h, tags prod + team-b, running Feb 2 09:00-10:30  -> $3.75
spare-l4    $0.80/h, no tags,            running Feb 1 00:00-05:00  -> $4.00 (nobody used it from the console)
Total $11.75. alice sent 2 of chat-fast's 3 requests: 2/3 of $4.00 = $2.666 -> $2.66, plus the cent left over
(she sent the most) = $2.67; bob sent 1 -> $1.33, and all of chat-slow's -> $3.75, so $5.08.
"""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from billing.costs import month_summary
from billing.periods import month_period
from billing.usage import NOT_USED, usage_csv_rows, usage_report
from endpoints_app.models import Tag, UsageKind, UsageRecord
from endpoints_app.services.usage import record_usage
from tests.billing.factories import make_endpoint, record_timeline

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 2, 3, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 2, day, hour, minute, tzinfo=UTC)


def tagged(endpoint, *names: str):
    endpoint.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])
    return endpoint


def sent(user: User, endpoint, moment: datetime, tokens: tuple[int, int] | None = None) -> None:
    kind = UsageKind.CHAT if tokens else UsageKind.IMAGE
    input_tokens, output_tokens = tokens or (None, None)
    record = record_usage(user, endpoint, kind, input_tokens=input_tokens, output_tokens=output_tokens)
    UsageRecord.objects.filter(pk=record.pk).update(at=moment)


@pytest.fixture
def month() -> None:
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    fast = tagged(make_endpoint("acme", "chat-fast", "1.00", "paused"), "team-a")
    record_timeline(fast, (at(1, 8), "running", 1), (at(1, 12), "paused", 0))
    slow = tagged(make_endpoint("acme", "chat-slow", "2.50", "paused"), "team-b", "prod")
    record_timeline(slow, (at(2, 9), "running", 1), (at(2, 10, 30), "paused", 0))
    spare = make_endpoint("research", "spare-l4", "0.80", "paused")
    record_timeline(spare, (at(1, 0), "running", 1), (at(1, 5), "paused", 0))
    sent(alice, fast, at(1, 9), (10, 100))
    sent(alice, fast, at(1, 10), (20, 200))
    sent(bob, fast, at(1, 11), (5, 50))
    sent(bob, slow, at(2, 10), (7, 70))
    sent(bob, slow, at(4, 10), (1, 1))  # after "now": not counted


def test_people_and_endpoints_add_up_to_the_costs_total(month) -> None:
    report = usage_report(date(2030, 2, 1), date(2030, 2, 28), NOW)
    costs = month_summary(month_period(2030, 2), NOW)
    assert costs.totals.month == report.total.cost == sum(row.cost for row in report.by_person)
    assert [(row.label, str(row.cost)) for row in report.by_person] == [
        ("bob", "5.08"),
        ("alice", "2.67"),
        (NOT_USED, "4.00"),
    ]
    assert [(row.label, str(row.cost), row.requests) for row in report.by_endpoint] == [
        ("acme/chat-fast", "4.00", 3),
        ("research/spare-l4", "4.00", 0),
        ("acme/chat-slow", "3.75", 1),
    ]
    assert str(report.total.cost) == "11.75"


def test_tag_groups_add_up_to_the_costs_total(month) -> None:
    costs = month_summary(month_period(2030, 2), NOW)
    groups = [(name, str(amounts.month)) for name, amounts in costs.by_tags]
    assert groups == [("(no tags)", "4.00"), ("prod, team-b", "3.75"), ("team-a", "4.00")]
    assert sum(amounts.month for _, amounts in costs.by_tags) == costs.totals.month


def test_days_and_tokens_are_counted_per_request(month) -> None:
    report = usage_report(date(2030, 2, 1), date(2030, 2, 28), NOW)
    assert [(row.label, row.requests, row.input_tokens, row.output_tokens) for row in report.by_day] == [
        ("2030-02-01", 3, 35, 350),
        ("2030-02-02", 1, 7, 70),
    ]


def test_a_range_of_one_day_shares_only_that_days_cost(month) -> None:
    report = usage_report(date(2030, 2, 2), date(2030, 2, 2), NOW)
    assert [(row.label, str(row.cost)) for row in report.by_person] == [("bob", "3.75")]


def test_the_csv_has_a_row_per_day_person_endpoint_and_kind(month) -> None:
    rows = usage_csv_rows(date(2030, 2, 1), date(2030, 2, 28), NOW)
    assert rows[1:] == [
        ("2030-02-01", "alice", "acme/chat-fast", "chat", 2, 30, 300),
        ("2030-02-01", "bob", "acme/chat-fast", "chat", 1, 5, 50),
        ("2030-02-02", "bob", "acme/chat-slow", "chat", 1, 7, 70),
    ]


def test_the_usage_page_needs_login(client) -> None:
    response = client.get(reverse("billing:usage"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_backwards_range_is_explained_and_kept(team, client) -> None:
    client.force_login(team.viewer)
    response = client.get(reverse("billing:usage"), {"start": "2030-02-10", "end": "2030-02-01"})
    assert response.status_code == 200
    assert "The last day comes on or after the first day." in response.content.decode()
    assert 'value="2030-02-10"' in response.content.decode()


def test_the_page_and_the_csv_download_answer(team, client) -> None:
    client.force_login(team.viewer)
    record_usage(team.operator, make_endpoint("acme", "chat", "1.00", "running", replicas=1), UsageKind.IMAGE)
    page = client.get(reverse("billing:usage"))
    assert "By person" in page.content.decode() and "otto" in page.content.decode()
    download = client.get(reverse("billing:usage_csv"))
    assert download["Content-Type"].startswith("text/csv")
    assert "otto,acme/chat,image,1,0,0" in download.content.decode()
