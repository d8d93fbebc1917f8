"""The Django admin: Endpoint changelist with costs, bulk actions with a confirmation, read-only records."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from billing.models import Exclusion
from endpoints_app.models import Credential, Endpoint, Operation
from endpoints_app.roles import Role
from tests.billing.factories import make_endpoint, record_timeline
from tests.fixtures.team import make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 2, 3, 12, 0, tzinfo=UTC)
CHANGELIST = reverse("admin:endpoints_app_endpoint_changelist")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def endpoints() -> dict[str, Endpoint]:
    """gemma-chat ($1.00/h) and sdxl-art ($2.50/h) run since Feb 1 00:00; old-model is paused."""
    created = {}
    for name, price in (("gemma-chat", "1.00"), ("sdxl-art", "2.50")):
        created[name] = make_endpoint("demo", name, price, "running", replicas=1)
        record_timeline(created[name], (datetime(2030, 2, 1, tzinfo=UTC), "running", 1))
    created["old-model"] = make_endpoint("demo", "old-model", "0.50", "paused")
    return created


def staff(role: str) -> Client:
    user = make_user(role, role)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def bulk(client: Client, action: str, endpoints: list[Endpoint], **extra: str) -> object:
    data = {"action": action, "_selected_action": [e.pk for e in endpoints], **extra}
    return client.post(CHANGELIST, data)


def test_the_changelist_shows_price_cost_this_month_and_keep_running_marks(endpoints) -> None:
    Exclusion.objects.create(
        endpoint=endpoints["sdxl-art"],
        reason="Customer demo",
        expires_at=datetime(2030, 2, 5, 18, tzinfo=UTC),
    )
    page = staff(Role.ADMIN).get(CHANGELIST).content.decode()
    assert '<td class="field-cost_this_month">$150.00</td>' in page  # 60 h x $2.50
    assert '<td class="field-price">$2.50</td>' in page
    assert "until 2030-02-05 18:00: Customer demo" in page


def test_the_keep_running_filter_lists_marked_endpoints_only(endpoints) -> None:
    Exclusion.objects.create(
        endpoint=endpoints["sdxl-art"], reason="Demo", expires_at=datetime(2030, 2, 5, tzinfo=UTC)
    )
    page = staff(Role.ADMIN).get(CHANGELIST, {"kept_running": "yes"}).content.decode()
    assert "demo/sdxl-art" in page and "demo/gemma-chat" not in page


def test_pause_selected_first_shows_the_hourly_saving(endpoints) -> None:
    response = bulk(staff(Role.ADMIN), "pause_selected", [endpoints["gemma-chat"], endpoints["sdxl-art"]])
    page = response.content.decode()
    assert "Pause 2 endpoint(s)?" in page
    assert '<th class="total-saving">$3.50/h</th>' in page
    assert not Operation.objects.exists()


def test_confirming_queues_one_pause_per_endpoint(endpoints) -> None:
    selected = [endpoints["gemma-chat"], endpoints["sdxl-art"]]
    response = bulk(staff(Role.ADMIN), "pause_selected", selected, confirm="yes")
    assert response.status_code == 302
    assert sorted(Operation.objects.values_list("kind", "endpoint_name", "requested_by__username")) == [
        ("pause", "gemma-chat", "admin"),
        ("pause", "sdxl-art", "admin"),
    ]


def test_resume_selected_shows_the_hourly_cost_it_adds(endpoints) -> None:
    page = bulk(staff(Role.ADMIN), "resume_selected", [endpoints["old-model"]]).content.decode()
    assert "Hourly cost added" in page and '<th class="total-saving">$0.50/h</th>' in page


def test_viewers_see_the_changelist_without_bulk_actions(endpoints) -> None:
    page = staff(Role.VIEWER).get(CHANGELIST).content.decode()
    assert "demo/gemma-chat" in page and "Pause selected" not in page


def test_the_credential_admin_never_shows_the_token() -> None:
    credential = Credential(label="Team token", hf_username="demo")
    credential.set_token("hf_secretvalue1234wxyz")
    credential.save()
    page = staff(Role.ADMIN).get(reverse("admin:endpoints_app_credential_change", args=[credential.pk]))
    assert "hf_…wxyz" in page.content.decode() and "secretvalue" not in page.content.decode()


def test_operations_cannot_be_added_or_changed_in_the_admin() -> None:
    assert staff(Role.ADMIN).get(reverse("admin:endpoints_app_operation_add")).status_code == 403
