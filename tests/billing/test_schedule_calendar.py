"""The schedule's calendar without a server: moments on chosen weekdays, skip dates, off hours per day."""

from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from billing.models import Policy, PolicyKind
from billing.policies import plan_for
from billing.policies.schedule import latest_moment, next_moment, off_hours_per_day
from tests.billing.factories import make_endpoint, record_timeline

PARIS = ZoneInfo("Europe/Paris")


def weekday_nights(**changes: object) -> Policy:
    settings = {
        "name": "Nights",
        "kind": PolicyKind.OFF_HOURS,
        "pause_at": time(19, 0),
        "resume_at": time(8, 0),
        "weekdays": [0, 1, 2, 3, 4],
        "time_zone": "Europe/Paris",
        **changes,
    }
    return Policy(**settings)


def test_on_saturday_the_last_pause_was_friday_evening() -> None:
    saturday = datetime(2030, 3, 9, 10, 0, tzinfo=PARIS)
    assert latest_moment(weekday_nights(), time(19, 0), saturday) == datetime(2030, 3, 8, 19, 0, tzinfo=PARIS)


def test_after_friday_evening_the_next_resume_is_monday_morning() -> None:
    friday_night = datetime(2030, 3, 8, 19, 1, tzinfo=PARIS)
    assert next_moment(weekday_nights(), time(8, 0), friday_night) == datetime(
        2030, 3, 11, 8, 0, tzinfo=PARIS
    )


def test_a_skip_date_moves_the_resume_to_the_next_weekday() -> None:
    policy = weekday_nights(skip_dates=["2030-03-11"])
    friday_night = datetime(2030, 3, 8, 19, 1, tzinfo=PARIS)
    assert next_moment(policy, time(8, 0), friday_night) == datetime(2030, 3, 12, 8, 0, tzinfo=PARIS)


def test_weekday_nights_and_the_weekend_make_113_off_hours_a_week() -> None:
    # Four nights of 13 h, and Friday 19:00 to Monday 08:00 (61 h).
    assert off_hours_per_day(weekday_nights()) == Decimal(113) / 7


def test_without_a_resume_time_the_off_hours_last_until_midnight() -> None:
    assert off_hours_per_day(weekday_nights(resume_at=None)) == Decimal(5 * 5) / 7


@pytest.mark.django_db
def test_no_pause_on_a_skip_date() -> None:
    endpoint = make_endpoint("demo-org", "org-gpu", "1.00", "running", replicas=1)
    record_timeline(endpoint, (datetime(2030, 3, 4, 8, 0, tzinfo=UTC), "running", 1))
    policy = weekday_nights(skip_dates=["2030-03-04"])
    policy.save()
    monday_evening = datetime(2030, 3, 4, 19, 1, tzinfo=PARIS)
    assert plan_for(policy, monday_evening).actions == []


@pytest.mark.django_db
def test_the_pause_catches_up_when_the_console_was_down_at_19() -> None:
    endpoint = make_endpoint("demo-org", "org-gpu", "1.00", "running", replicas=1)
    record_timeline(endpoint, (datetime(2030, 3, 4, 8, 0, tzinfo=UTC), "running", 1))
    policy = weekday_nights()
    policy.save()
    at_23 = datetime(2030, 3, 4, 23, 0, tzinfo=PARIS)
    assert [action.endpoint.name for action in plan_for(policy, at_23).actions] == ["org-gpu"]


def test_a_schedule_needs_a_known_time_zone() -> None:
    with pytest.raises(ValidationError, match="Unknown time zone"):
        weekday_nights(time_zone="Mars/Olympus").clean()


def test_a_schedule_cannot_resume_when_it_pauses() -> None:
    with pytest.raises(ValidationError, match="must differ from the pause time"):
        weekday_nights(resume_at=time(19, 0)).clean()
