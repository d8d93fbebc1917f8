"""Days and months as time windows in the console's time zone (settings.TIME_ZONE)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """The half-open window [start, end) of a day or a month."""

    start: datetime
    end: datetime
    first_day: date

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def day_period(day: date) -> Period:
    return Period(_midnight(day), _midnight(day + timedelta(days=1)), day)


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(_midnight(first), _midnight(following), first)


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_of(moment: datetime) -> Period:
    return day_period(local_date(moment))


def month_of(moment: datetime) -> Period:
    day = local_date(moment)
    return month_period(day.year, day.month)


def last_days(now: datetime, count: int) -> list[Period]:
    """The `count` days ending with today, oldest first."""
    today = local_date(now)
    return [day_period(today - timedelta(days=back)) for back in range(count - 1, -1, -1)]


def parse_month(text: str) -> Period:
    """'2026-02' -> February 2026. Raises ValueError with a message for people."""
    match = MONTH_PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-02.")
    return month_period(int(match.group(1)), int(match.group(2)))
