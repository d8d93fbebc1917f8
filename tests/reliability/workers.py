"""Celery workers as separate processes, on a broker database of their own, for tests that kill them."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from celery import Celery
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def isolated_broker_url() -> str:
    """A Redis database no in-process test worker listens to."""
    return settings.REDIS_URL.rsplit("/", 1)[0] + "/13"


def session_database_url() -> str:
    """The URL of the test session's database (a SQLite file, or the PostgreSQL database it created)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"], safe="") + (
        f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    )
    return f"postgresql://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def worker_environment(broker_url: str) -> dict[str, str]:
    """The test session's database, secrets, hubsim and fast timings, for a `dashboard.settings` process."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "DATABASE_URL": session_database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        "REDIS_URL": broker_url,
        "OPERATION_POLL_INITIAL_SECONDS": str(settings.OPERATION_POLL_INITIAL_SECONDS),
        "OPERATION_POLL_MAX_SECONDS": str(settings.OPERATION_POLL_MAX_SECONDS),
        "RECONCILE_GRACE_SECONDS": str(settings.RECONCILE_GRACE_SECONDS),
        "RECONCILE_INTERVAL_SECONDS": "1",
        "SYNC_INTERVAL_SECONDS": "3600",
    }


class WorkerProcess:
    """`celery worker -B` (with beat, so reconcile runs) in its own process group."""

    def __init__(self, broker_url: str, scratch: Path, name: str) -> None:
        self.log = scratch / f"{name}.log"
        schedule = scratch / f"{name}-beat-schedule"
        self.command = [
            sys.executable, "-m", "celery", "-A", "dashboard", "worker", "-B", "-s", str(schedule),
            "--pool", "threads", "--concurrency", "2", "--without-mingle", "--without-gossip",
            "-n", f"{name}@%h", "-l", "INFO",
        ]  # fmt: skip
        self.environment = worker_environment(broker_url)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the worker and everything it started: no chance to finish or hand back its work."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@contextmanager
def enqueue_through(broker_url: str) -> Iterator[Celery]:
    """Makes the services of this process send their tasks to `broker_url` (for the workers above)."""
    from dashboard.celery import app as project_app

    app = Celery("dashboard", broker=broker_url, set_as_current=True)
    app.conf.update(task_serializer="json", accept_content=["json"], task_ignore_result=True)
    try:
        yield app
    finally:
        project_app.set_current()
        app.close()
