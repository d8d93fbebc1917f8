"""Celery beat runs the enforcement task (tests run periodic tasks themselves: their schedule is empty)."""

from dashboard import settings as deployed_settings
from dashboard.celery import app


def test_beat_enforces_the_policies_every_policy_interval() -> None:
    entry = deployed_settings.CELERY_BEAT_SCHEDULE["enforce-policies"]
    assert entry == {
        "task": "billing.tasks.enforce_policies",
        "schedule": deployed_settings.POLICY_INTERVAL_SECONDS,
    }
    app.loader.import_default_modules()  # what a worker or beat does at start: autodiscovery
    assert entry["task"] in app.tasks
