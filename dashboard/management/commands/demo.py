"""`manage.py demo`: the whole console on one machine — Redis (if needed), hubsim, a worker, beat, the web.

`make demo` runs it with HF_ENDPOINT and HF_ENDPOINTS_API_URL pointing at hubsim; the processes it starts get
hubsim's Inference Catalog too (HF_INFERENCE_CATALOG_URL). Unless DEMO_EMPTY=1, a first run seeds a living
team before the worker, beat and web start (dashboard/management/demo_seed.py). Ctrl-C stops everything.
"""

import os
import shutil
import signal
import sys
import time
from urllib.parse import urlsplit

import httpx2
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dashboard.management.demo_seed import seed_demo, wants_seed
from dashboard.supervisor import Supervisor
from endpoints_app.models import Credential
from endpoints_app.services import credentials
from endpoints_app.services.actors import Actor

WEB_HOST, WEB_PORT = "127.0.0.1", 8000
STARTUP_TIMEOUT_SECONDS = 60
DEMO_TOKEN = "hf_demo_token"  # noqa: S105 - hubsim's built-in demo user, not a secret


class Command(BaseCommand):
    help = "Run the console with hubsim, a Celery worker and beat, and the ASGI server, until Ctrl-C."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--deploy-seconds", type=float, default=5.0, help="hubsim's time to deploy.")
        parser.add_argument(
            "--port", type=int, default=WEB_PORT, help="The web server's port (make demo PORT=)."
        )

    def handle(self, *args, **options) -> None:
        hubsim_url = settings.HF_ENDPOINT
        if not _is_local(hubsim_url):
            raise CommandError(f"HF_ENDPOINT is {hubsim_url}: the demo runs against a local hubsim only.")
        call_command("migrate", interactive=False, verbosity=0)
        password = self._ensure_admin()

        catalog = f"{hubsim_url}/api/catalog"
        supervisor = Supervisor(
            env={**os.environ, "PYTHONUNBUFFERED": "1", "HF_INFERENCE_CATALOG_URL": catalog}
        )
        # Ctrl-C (SIGINT) and SIGTERM both stop everything; SIGINT is re-armed because a shell that starts
        # the command in the background leaves it ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            self._start_redis_if_needed(supervisor)
            self._start_hubsim(supervisor, hubsim_url, options["deploy_seconds"])
            self._store_demo_credential()
            if wants_seed():
                self._seed(hubsim_url, password)
            python = sys.executable
            worker = "celery -A dashboard worker -l INFO --concurrency 2 --without-mingle --without-gossip"
            supervisor.start("worker", [python, "-m", *worker.split()])
            beat = [
                "celery",
                "-A",
                "dashboard",
                "beat",
                "-l",
                "INFO",
                "-s",
                f"{settings.VAR_DIR}/celerybeat-schedule",
            ]
            supervisor.start("beat", [python, "-m", *beat])
            port = options["port"]
            web = (
                f"uvicorn dashboard.asgi:application --host {WEB_HOST} --port {port}"
                f" --workers {settings.WEB_CONCURRENCY}"
                f" --timeout-graceful-shutdown {settings.WEB_GRACEFUL_SHUTDOWN_SECONDS}"
            )
            supervisor.start("web", [python, "-m", *web.split()])
            _wait_for_http(f"http://{WEB_HOST}:{port}/healthz", supervisor)
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nThe console is up: http://{WEB_HOST}:{port}/  (log in as admin / {password})\n"
                    "Press Ctrl-C to stop everything.\n"
                )
            )
            while (exited := supervisor.first_exited()) is None:
                time.sleep(0.5)
            raise CommandError(f"{exited.name} stopped unexpectedly (exit code {exited.process.returncode}).")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            supervisor.stop_all(timeout=settings.WEB_GRACEFUL_SHUTDOWN_SECONDS + 5)
            self.stdout.write("Stopped.")

    def _ensure_admin(self) -> str:
        password = os.environ.get("DEMO_PASSWORD", "admin")
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@localhost", password)
            self.stdout.write("Created the superuser admin.")
        return password

    def _store_demo_credential(self) -> None:
        """hubsim's demo token as the team's credential, as an admin would add it."""
        if Credential.objects.exists():
            return
        credentials.add_credential(Actor.automatic("demo set-up"), "hubsim demo token", DEMO_TOKEN)
        self.stdout.write("Stored hubsim's demo token as the team's Hugging Face credential.")

    def _seed(self, hubsim_url: str, password: str) -> None:
        self.stdout.write(
            "Seeding the demo: a fleet of every engine, a month of its history, the team's work…"
        )
        started = time.monotonic()
        seed_demo(hubsim_url, get_user_model().objects.get(username="admin"), password)
        self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s (DEMO_EMPTY=1 starts empty).")

    def _start_redis_if_needed(self, supervisor: Supervisor) -> None:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
            return
        except redis.ConnectionError:
            pass
        parts = urlsplit(settings.REDIS_URL)
        if not _is_local(settings.REDIS_URL):
            raise CommandError(f"Redis does not answer at {settings.REDIS_URL}.")
        server = shutil.which("redis-server")
        if server is None:
            raise CommandError(
                "Nothing answers at REDIS_URL and redis-server is not installed. Install Redis "
                "(e.g. `apt-get install redis-server` or `brew install redis`) or set REDIS_URL."
            )
        port = str(parts.port or 6379)
        supervisor.start(
            "redis", [server, "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no"]
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or supervisor.first_exited():
                    raise CommandError("redis-server did not start.") from None
                time.sleep(0.1)

    def _start_hubsim(self, supervisor: Supervisor, url: str, deploy_seconds: float) -> None:
        parts = urlsplit(url)
        options = {
            "--host": parts.hostname or "127.0.0.1",
            "--port": str(parts.port or 80),
            "--deploy-seconds": str(deploy_seconds),
            "--state-file": str(settings.VAR_DIR / "hubsim-state.json"),
        }
        supervisor.start(
            "hubsim", [sys.executable, "-m", "hubsim", *(w for pair in options.items() for w in pair)]
        )
        _wait_for_http(f"{url}/api/whoami-v2", supervisor)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _is_local(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}


def _wait_for_http(url: str, supervisor: Supervisor) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while True:
        try:
            httpx2.get(url, timeout=2)
            return
        except httpx2.TransportError:
            exited = supervisor.first_exited()
            if exited is not None:
                raise CommandError(f"{exited.name} exited while starting.") from None
            if time.monotonic() > deadline:
                raise CommandError(f"Nothing answered at {url} after {STARTUP_TIMEOUT_SECONDS} s.") from None
            time.sleep(0.2)
