"""A panel's first rows and its count in all, as the Overview and the Savings page read them."""

import pytest

from billing.shortlists import first_of
from endpoints_app.models import Endpoint, Namespace, Tag
from tests.endpoints.mirror_rows import endpoint_row, namespace_with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def namespace(db: None) -> Namespace:
    return namespace_with_token("demo")


def test_the_first_rows_carry_the_count_of_all(namespace: Namespace) -> None:
    for index in range(7):
        endpoint_row(namespace, f"gemma-{index:03d}")
    endpoint_row(namespace, "paused-001", status="paused")
    running = Endpoint.objects.filter(status="running").order_by("name")

    rows, total = first_of(running, 3)

    assert [row.name for row in rows] == ["gemma-000", "gemma-001", "gemma-002"] and total == 7
    assert first_of(running.filter(name="none"), 3) == ([], 0)
    assert first_of(running, None)[1] == 7


def test_a_distinct_query_is_counted_once_per_row(namespace: Namespace) -> None:
    # Each endpoint has two tags: the join repeats it, DISTINCT folds it, and a window would count both.
    team, nightly = Tag.objects.create(name="team-a"), Tag.objects.create(name="nightly")
    for index in range(4):
        endpoint_row(namespace, f"gemma-{index:03d}").tags.add(team, nightly)
    tagged = Endpoint.objects.filter(tags__in=[team, nightly]).distinct().order_by("name")

    rows, total = first_of(tagged, 2)

    assert (len(rows), total) == (2, 4)
