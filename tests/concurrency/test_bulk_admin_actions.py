"""Two people confirming a bulk action on the same endpoints at the same moment, through the admin."""

import pytest

from endpoints_app.models import AuditEntry, Operation
from endpoints_app.roles import Role
from tests.billing.factories import make_endpoint
from tests.billing.test_admin import bulk, staff
from tests.concurrency.at_once import at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_bulk_pauses_of_the_same_endpoints_at_once_queue_one_pause_each(redis_client) -> None:
    running = [make_endpoint("demo", f"bulk-{index}", "1.00", "running", replicas=1) for index in range(3)]
    admin, operator = staff(Role.ADMIN), staff(Role.OPERATOR)

    responses = at_once(
        lambda: bulk(admin, "pause_selected", running, confirm="yes"),
        lambda: bulk(operator, "pause_selected", running, confirm="yes"),
    )

    assert [response.status_code for response in responses] == [302, 302]
    assert sorted(Operation.objects.values_list("kind", "endpoint_name")) == [
        ("pause", "bulk-0"),
        ("pause", "bulk-1"),
        ("pause", "bulk-2"),
    ]
    assert AuditEntry.objects.filter(action="pause", result="refused").count() == 3
