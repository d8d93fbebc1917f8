"""Two writers of the mirror (a namespace's sync and an operation's check) inserting the same new endpoint
at the same moment: one inserts, the other finds the row and updates it, and the timeline stays whole."""

import pytest

from endpoints_app.models import Endpoint
from endpoints_app.services import mirror
from tests.concurrency.at_once import at_once
from tests.endpoints.mirror_rows import namespace_with_token
from tests.endpoints.test_mirror_race import remote_in

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_writers_of_a_new_endpoint_at_once_make_one_row(redis_client) -> None:
    namespace = namespace_with_token("demo")

    # Both have read the mirror before either inserted: each believes the row is new.
    rows = at_once(
        lambda: mirror._apply(namespace, remote_in("initializing"), None, None),
        lambda: mirror._apply(namespace, remote_in("running"), None, None),
    )

    assert [type(row) for row in rows] == [Endpoint, Endpoint]
    assert rows[0].pk == rows[1].pk
    endpoint = Endpoint.objects.get()
    events = list(endpoint.status_events.order_by("id").values_list("from_status", "to_status"))
    assert len(events) == 2
    assert events[0][0] == "" and events[1][0] == events[0][1]
    assert endpoint.status == events[1][1]
