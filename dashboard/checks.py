"""A system check refusing settings that contradict each other (each is fine alone, wrong with another).

`manage.py migrate`, `check` and `demo` run it; the message names the settings, which are environment
variables of the same name (README, Configuration).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import AppConfig
from django.conf import LazySettings, settings
from django.core.checks import Error, register


@dataclass(frozen=True)
class Rule:
    id: str
    holds: Callable[[LazySettings], bool]
    message: str  # what is wrong, with {placeholders} of settings


RULES = (
    Rule(
        "dashboard.E001",
        lambda s: s.RECONCILE_GRACE_SECONDS > s.OPERATION_POLL_MAX_SECONDS,
        "RECONCILE_GRACE_SECONDS ({RECONCILE_GRACE_SECONDS}) must be longer than the longest poll gap, "
        "OPERATION_POLL_MAX_SECONDS ({OPERATION_POLL_MAX_SECONDS}): a waiting operation would be taken for "
        "abandoned between two of its own checks.",
    ),
    Rule(
        "dashboard.E002",
        lambda s: s.OPERATION_POLL_INITIAL_SECONDS <= s.OPERATION_POLL_MAX_SECONDS,
        "OPERATION_POLL_INITIAL_SECONDS ({OPERATION_POLL_INITIAL_SECONDS}) must not be longer than "
        "OPERATION_POLL_MAX_SECONDS ({OPERATION_POLL_MAX_SECONDS}), the longest gap between two checks.",
    ),
    Rule(
        "dashboard.E003",
        lambda s: s.OPERATION_POLL_FACTOR >= 1,
        "OPERATION_POLL_FACTOR ({OPERATION_POLL_FACTOR}) must be at least 1: the gaps between checks grow.",
    ),
    Rule(
        "dashboard.E004",
        lambda s: s.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > s.OPERATION_POLL_MAX_SECONDS,
        "CELERY_VISIBILITY_TIMEOUT ({CELERY_BROKER_TRANSPORT_OPTIONS[visibility_timeout]}) must be longer "
        "than OPERATION_POLL_MAX_SECONDS ({OPERATION_POLL_MAX_SECONDS}): a check waiting for its countdown "
        "longer than that is delivered twice.",
    ),
    Rule(
        "dashboard.E005",
        lambda s: s.CELERY_TASK_SOFT_TIME_LIMIT < s.CELERY_TASK_TIME_LIMIT,
        "CELERY_TASK_SOFT_TIME_LIMIT ({CELERY_TASK_SOFT_TIME_LIMIT}) must be shorter than "
        "CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT}): a task is told to stop before it is stopped.",
    ),
    Rule(
        "dashboard.E006",
        lambda s: s.HF_API_RETRY_BASE_SECONDS <= s.HF_API_RETRY_MAX_SECONDS,
        "HF_API_RETRY_BASE_SECONDS ({HF_API_RETRY_BASE_SECONDS}) must not be longer than "
        "HF_API_RETRY_MAX_SECONDS ({HF_API_RETRY_MAX_SECONDS}), the longest backoff.",
    ),
    Rule(
        "dashboard.E007",
        lambda s: s.PLAYGROUND_WAKE_RETRY_SECONDS < s.PLAYGROUND_WAKE_TIMEOUT_SECONDS,
        "PLAYGROUND_WAKE_RETRY_SECONDS ({PLAYGROUND_WAKE_RETRY_SECONDS}) must be shorter than "
        "PLAYGROUND_WAKE_TIMEOUT_SECONDS ({PLAYGROUND_WAKE_TIMEOUT_SECONDS}): no second attempt would come.",
    ),
    Rule(
        "dashboard.E008",
        lambda s: 0 < s.METRICS_INTERVAL_SECONDS < s.METRICS_RETENTION_DAYS * 86_400,
        "METRICS_INTERVAL_SECONDS ({METRICS_INTERVAL_SECONDS}) must be above 0 and shorter than "
        "METRICS_RETENTION_DAYS ({METRICS_RETENTION_DAYS}) days: the Analytics tab needs two samples to "
        "count requests between them.",
    ),
)


@register()
def contradictory_settings(app_configs: list[AppConfig] | None, **kwargs: object) -> list[Error]:
    values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    return [Error(rule.message.format(**values), id=rule.id) for rule in RULES if not rule.holds(settings)]
