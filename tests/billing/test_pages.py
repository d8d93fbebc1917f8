"""Billing pages: costs with chart and CSV, policies for admins, dry runs, keep-running marks, the bell."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from billing.models import Exclusion, Notification, Policy, PolicyKind
from billing.policies import describe
from endpoints_app.models import AuditEntry, Endpoint, Operation
from endpoints_app.roles import Role
from tests.billing.factories import make_endpoint, record_timeline
from tests.fixtures.team import make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 2, 3, 12, 0, tzinfo=UTC)  # a Sunday


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def running() -> None:
    """gemma-chat ($1/h) runs since Feb 1 00:00, so 60 h this month; sdxl-art ($2.50/h) ran 2 h on Feb 2."""
    gemma = make_endpoint("demo", "gemma-chat", "1.00", "running", replicas=1, min_replica=1)
    record_timeline(gemma, (datetime(2030, 2, 1, tzinfo=UTC), "running", 1))
    sdxl = make_endpoint("demo-org", "sdxl-art", "2.50", "paused")
    record_timeline(
        sdxl,
        (datetime(2030, 2, 2, 10, tzinfo=UTC), "running", 1),
        (datetime(2030, 2, 2, 12, tzinfo=UTC), "paused", 0),
    )


def logged_in(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role, role))
    return client


def test_costs_page_shows_the_month_and_a_chart_without_inline_styles(running) -> None:
    page = logged_in(Role.VIEWER).get(reverse("billing:costs")).content.decode()
    assert "$65.00" in page  # 60 h x $1 + 2 h x $2.50
    assert '<rect class="series-0"' in page and "<title>demo/gemma-chat, Feb 01: $24.00</title>" in page
    assert "style=" not in page


def test_costs_csv_has_a_row_per_endpoint_and_a_total(running) -> None:
    response = logged_in(Role.VIEWER).get(reverse("billing:costs_csv"), {"month": "2030-02"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="costs-2030-02.csv"'
    assert [(row[1], row[7], row[8]) for row in rows[1:]] == [
        ("gemma-chat", "60.00", "672.00"),  # projected: + 612 h left in February at $1
        ("sdxl-art", "5.00", "5.00"),
        ("total", "65.00", "677.00"),
    ]


def test_a_wrong_month_is_explained_and_the_current_month_shown(running) -> None:
    page = logged_in(Role.VIEWER).get(reverse("billing:costs"), {"month": "2030-13"}).content.decode()
    assert "is not a month: write it as YYYY-MM" in page
    assert "February 2030, to date" in page


def test_the_navigation_has_a_costs_entry() -> None:
    page = logged_in(Role.VIEWER).get(reverse("billing:costs")).content.decode()
    assert '<a href="/billing/costs/" aria-current="page">Costs</a>' in page


def test_policies_are_for_admins_only() -> None:
    assert logged_in(Role.OPERATOR).get(reverse("billing:policies")).status_code == 403


def test_an_admin_creates_an_off_hours_policy_and_lands_on_its_dry_run() -> None:
    response = logged_in(Role.ADMIN).post(
        reverse("billing:policy_create", args=["off_hours"]),
        {
            "name": "Nights",
            "enabled": "on",
            "pause_at": "19:00",
            "resume_at": "08:00",
            "weekdays": ["0", "1", "2", "3", "4"],
            "time_zone": "Europe/Paris",
            "skip_dates": "2030-12-25\n2030-05-01",
        },
    )
    policy = Policy.objects.get(name="Nights")
    assert response["Location"] == reverse("billing:policy_dry_run", args=[policy.pk])
    assert (policy.weekdays, policy.skip_dates) == ([0, 1, 2, 3, 4], ["2030-05-01", "2030-12-25"])
    assert AuditEntry.objects.get(action="add_policy").target == "Nights"


def test_a_policy_form_without_its_setting_says_what_is_missing() -> None:
    response = logged_in(Role.ADMIN).post(
        reverse("billing:policy_create", args=["idle_pause"]), {"name": "Idle"}
    )
    assert response.status_code == 200
    assert "Required for this kind of policy." in response.content.decode()


@pytest.mark.parametrize(("checked", "saved"), [({}, False), ({"pause_unseen_traffic": "on"}, True)])
def test_an_idle_policy_pauses_endpoints_whose_traffic_cannot_be_seen_only_when_checked(
    checked: dict, saved: bool
) -> None:
    client = logged_in(Role.ADMIN)
    form = client.get(reverse("billing:policy_create", args=["idle_pause"])).content.decode()
    assert re.search(r'<input type="checkbox" name="pause_unseen_traffic"[^>]*>', form)
    assert not re.search(r'<input type="checkbox" name="pause_unseen_traffic"[^>]* checked', form)
    assert "Pause endpoints whose traffic cannot be seen" in form
    client.post(
        reverse("billing:policy_create", args=["idle_pause"]), {"name": "Idle", "idle_minutes": 30, **checked}
    )
    policy = Policy.objects.get(name="Idle")
    assert policy.pause_unseen_traffic is saved
    unseen = "paused too" if saved else "skipped"
    assert describe(policy).endswith(f"those whose traffic cannot be seen are {unseen}.")


def test_the_dry_run_page_lists_the_pause_and_its_saving_without_acting(running) -> None:
    policy = Policy.objects.create(name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=24)
    page = logged_in(Role.ADMIN).get(reverse("billing:policy_dry_run", args=[policy.pk])).content.decode()
    assert "demo/gemma-chat" in page and "running for 2 d 12 h (limit 1 d 0 h)" in page
    assert "Saves $24.00 per day" in page
    assert not Operation.objects.exists()


def test_an_admin_marks_an_endpoint_keep_running(running) -> None:
    gemma = Endpoint.objects.get(name="gemma-chat")
    logged_in(Role.ADMIN).post(
        reverse("billing:exclusion_create"),
        {"endpoint": gemma.pk, "reason": "Customer demo", "expires_at": "2030-02-05T18:00"},
    )
    assert list(Exclusion.objects.active().values_list("endpoint__name", "reason")) == [
        ("gemma-chat", "Customer demo")
    ]


def test_a_keep_running_mark_must_end_in_the_future(running) -> None:
    gemma = Endpoint.objects.get(name="gemma-chat")
    response = logged_in(Role.ADMIN).post(
        reverse("billing:exclusion_create"),
        {"endpoint": gemma.pk, "reason": "Too late", "expires_at": "2030-02-01T18:00"},
    )
    assert response.status_code == 400
    assert "Choose a moment in the future." in response.content.decode()


def test_the_bell_counts_unread_notifications_until_they_are_marked_read() -> None:
    client = logged_in(Role.VIEWER)
    Notification.objects.create(kind=Notification.Kind.BUDGET_ALERT, title="Budget Team: 50% reached")
    assert '<span class="bell-count">1</span>' in client.get(reverse("billing:costs")).content.decode()
    client.post(reverse("billing:notifications_read"))
    assert "bell-count" not in client.get(reverse("billing:costs")).content.decode()


OWN_FIELDS = {
    "idle_pause": "idle_minutes",
    "off_hours": "pause_at",
    "max_runtime": "max_runtime_hours",
    "budget": "monthly_budget",
}


@pytest.mark.parametrize("kind", OWN_FIELDS)
def test_each_kind_of_policy_has_a_form_with_only_its_own_settings(kind: str) -> None:
    page = logged_in(Role.ADMIN).get(reverse("billing:policy_create", args=[kind])).content.decode()
    assert [field for field in OWN_FIELDS.values() if f'name="{field}"' in page] == [OWN_FIELDS[kind]]


def test_a_new_off_hours_policy_suggests_the_working_week() -> None:
    page = logged_in(Role.ADMIN).get(reverse("billing:policy_create", args=["off_hours"])).content.decode()
    checked = re.findall(r'name="weekdays" value="(\d)"[^>]* checked', page)
    assert checked == ["0", "1", "2", "3", "4"]


def test_the_month_picker_swaps_only_the_summary_for_htmx(running) -> None:
    response = logged_in(Role.VIEWER).get(
        reverse("billing:costs"), {"month": "2030-01"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page and "January 2030</div>" in page


def test_the_notifications_page_marks_the_unread_ones() -> None:
    Notification.objects.create(kind=Notification.Kind.ACTION_SUCCEEDED, title="Paused demo/gemma-chat")
    page = logged_in(Role.VIEWER).get(reverse("billing:notifications")).content.decode()
    assert "Paused demo/gemma-chat" in page and 'class="card notification notification-info unread"' in page


def test_the_dry_run_of_all_policies_skips_those_turned_off(running) -> None:
    Policy.objects.create(name="Long runs", kind=PolicyKind.MAX_RUNTIME, max_runtime_hours=24)
    Policy.objects.create(name="Old idea", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30, enabled=False)
    page = logged_in(Role.ADMIN).get(reverse("billing:dry_run_all")).content.decode()
    assert "Long runs" in page and "Old idea" not in page
