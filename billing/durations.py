"""Durations in words short enough for a table cell or a notification."""

from datetime import timedelta


def duration_text(delta: timedelta) -> str:
    """'45 min', '2 h 05 min', '3 d 4 h' (rounded down to the minute)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"
