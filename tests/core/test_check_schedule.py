"""The schedule of an operation's status checks (runner.check_time), as a pure function of time."""

from collections import Counter
from datetime import UTC, datetime

from endpoints_app.services.runner import check_phase, check_time

SINCE = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_phase_moves_each_check_earlier_within_its_gap_and_keeps_their_order(settings) -> None:
    settings.OPERATION_POLL_INITIAL_SECONDS = 1.0
    settings.OPERATION_POLL_FACTOR = 1.1
    settings.OPERATION_POLL_MAX_SECONDS = 15.0
    nominal = [check_time(SINCE, checks, SINCE) for checks in range(60)]
    assert (nominal[1] - nominal[0]).total_seconds() == 1.1
    assert (nominal[-1] - nominal[-2]).total_seconds() == 15.0
    for phase in (0.3, 0.7, 0.99):
        phased = [check_time(SINCE, checks, SINCE, phase=phase) for checks in range(60)]
        assert phased == sorted(set(phased))
        for checks, moment in enumerate(phased):
            gap_start = nominal[checks - 1] if checks else SINCE
            assert gap_start < moment <= nominal[checks]


def test_a_late_check_is_followed_soon_not_pushed_back(settings) -> None:
    settings.OPERATION_POLL_INITIAL_SECONDS = 1.0
    settings.OPERATION_POLL_FACTOR = 1.1
    late = SINCE.replace(minute=5)
    assert (check_time(SINCE, 3, late, phase=0.5) - late).total_seconds() == 0.25


def test_consecutive_operations_spread_their_phases_evenly() -> None:
    tenths = Counter(int(check_phase(operation_id) * 10) for operation_id in range(1, 201))
    assert sorted(tenths) == list(range(10))
    assert all(15 <= count <= 25 for count in tenths.values()), tenths
