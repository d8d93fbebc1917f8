"""Two writers of the mirror at once (a sync and an operation's check) must not crash on the same new row."""

import pytest

from endpoints_app.hf import RemoteEndpoint
from endpoints_app.models import Endpoint, Namespace
from endpoints_app.services import mirror
from tests.endpoints.mirror_rows import raw_endpoint

pytestmark = pytest.mark.django_db


def remote_in(state: str) -> RemoteEndpoint:
    raw = raw_endpoint("gemma-001")
    raw["status"] = {"state": state}
    return RemoteEndpoint.from_raw("demo", raw)


def test_a_row_another_writer_inserted_meanwhile_is_updated_not_inserted_twice(namespace: Namespace) -> None:
    first = mirror.apply_remote(namespace, remote_in("initializing"))
    # The second writer read the mirror before the first inserted the row, so it believes the row is new.
    second = mirror._apply(namespace, remote_in("running"), None, None)
    assert second.pk == first.pk
    assert list(Endpoint.objects.values_list("name", "status")) == [("gemma-001", "running")]
    assert list(second.status_events.values_list("from_status", "to_status")) == [
        ("", "initializing"),
        ("initializing", "running"),
    ]
