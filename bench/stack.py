"""The real parts a benchmark runs against, on a scratch directory: Redis, hubsim, Django, a worker, the web.

Like the tests, a benchmark starts its own redis-server and hubsim on free ports and a fresh SQLite
database (or a PostgreSQL database of its own, created and dropped: `postgres_database`), so it never
touches a developer's data. Import this module before anything imports Django or
huggingface_hub: it sets the environment they read at import.
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_TOKEN = "hf_demo_token"
ADMIN_PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_scratch_file(name: str, text: str) -> Path:
    """A file in a temporary folder of its own (a config for hubsim, say), removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="bench-file-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / name
    path.write_text(text)
    return path


ROOT = Path(__file__).resolve().parents[1]


class RedisServer:
    """redis-server on a port of its own. `stop()` then `start()` is an outage: its data is saved to its
    folder on the way down and read back on the way up, as a Redis with persistence keeps it across a
    restart."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self._folder = folder
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is not installed (apt-get install redis-server).")
        self._folder.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self._folder), "--dbfilename", "dump.rdb"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        import redis

        process, self._process = self._process, None
        if process is None:
            return
        redis.Redis(port=self.port).shutdown(save=True)
        process.wait(timeout=10)


@dataclass
class Stack:
    scratch: Path
    redis_url: str
    hub: Any  # hubsim.testing.HubsimServer
    redis: RedisServer


@contextmanager
def scratch_stack(
    hubsim_args: Sequence[str] = (),
    deploy_seconds: float = 0.3,
    settings: dict[str, str] | None = None,
    database_url: str | None = None,
) -> Iterator[Stack]:
    """redis-server and hubsim started, Django set up (dashboard.settings) on a migrated scratch database.

    `settings` are extra environment variables read by dashboard.settings (poll intervals, say);
    `database_url` a database of the benchmark's own (else SQLite in the scratch folder).
    """
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    redis_port, hub_port = free_port(), free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        HF_ENDPOINT=f"http://127.0.0.1:{hub_port}",
        HF_ENDPOINTS_API_URL=f"http://127.0.0.1:{hub_port}/v2",
        HF_INFERENCE_CATALOG_URL=f"http://127.0.0.1:{hub_port}/api/catalog",
        HF_HOME=str(scratch / "hf-home"),
        HUBSIM_CACHE_DIR=str(scratch / "hubsim-cache"),
        VAR_DIR=str(scratch / "var"),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        LOG_LEVEL="WARNING",
        DEBUG="false",  # as in production: no SQL kept per query, no debug toolbar scripts
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",  # testserver: Django's test client
        RATE_LIMIT_ACTIONS_PER_MINUTE="100000",
        RATE_LIMIT_PLAYGROUND_PER_MINUTE="100000",
    )
    os.environ.update(settings or {})  # after the defaults above, which they may change
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from hubsim.testing import HubsimServer

    redis_server = RedisServer(redis_port, scratch / "redis")
    redis_server.start()
    hub = HubsimServer(port=hub_port, deploy_seconds=deploy_seconds, extra_args=list(hubsim_args))
    hub.start()
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        yield Stack(scratch=scratch, redis_url=os.environ["REDIS_URL"], hub=hub, redis=redis_server)
    finally:
        hub.stop()
        redis_server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


@contextmanager
def postgres_database(server: str = POSTGRES_SERVER) -> Iterator[str]:
    """A database of this process's own (`bench_soak_<pid>`) on the PostgreSQL server, dropped after."""
    import psycopg

    name = f"bench_soak_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def team_admin(token: str = DEMO_TOKEN) -> Any:
    """An admin with `token` as the team's credential (hubsim's demo token: namespaces demo, demo-org)."""
    from django.contrib.auth.models import Group, User

    from endpoints_app.roles import Role
    from endpoints_app.services import credentials
    from endpoints_app.services.actors import Actor

    admin = User.objects.create_user("bench", password=ADMIN_PASSWORD)
    admin.groups.add(Group.objects.get(name=Role.ADMIN))
    credentials.add_credential(Actor(admin), "Demo token", token)
    return admin


@contextmanager
def worker(concurrency: int = 2) -> Iterator[Any]:
    """A Celery worker (threads) in this process, consuming the console's queue."""
    from celery.contrib.testing.worker import start_worker

    from dashboard.celery import app

    with start_worker(
        app, pool="threads", concurrency=concurrency, perform_ping_check=False, loglevel="WARNING"
    ) as running:
        yield running


class WorkerProcess:
    """`celery worker` in its own process (as deployed: not sharing the benchmark's interpreter), which
    reports how many of its threads slept at once (bench.watched_worker)."""

    def __init__(self, concurrency: int, beat: bool = False) -> None:
        self._report = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "asleep"
        options = ["--pool", "threads", "--concurrency", str(concurrency), "--without-mingle",
                   "--without-gossip", "--loglevel", "WARNING"]  # fmt: skip
        if beat:  # the periodic tasks too (sync, reconcile ...), as `celery beat` would send them
            options += ["--beat", "--schedule", str(self._report.with_name("beat-schedule"))]
        self._command = [sys.executable, "-m", "bench.watched_worker", str(self._report), *options]
        self._process = self._spawn()

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(self._command, cwd=ROOT, stdout=sys.stderr)  # stdout: the results

    def kill_and_restart(self) -> None:
        """SIGKILL (the tasks it holds die with it), then a new process, as a supervisor would start."""
        self._process.kill()
        self._process.wait(timeout=30)
        self._process = self._spawn()

    def stop(self) -> None:
        self._process.send_signal(signal.SIGTERM)
        self._process.wait(timeout=60)

    def most_asleep(self) -> int:
        return int(self._report.read_text())


@contextmanager
def worker_process(concurrency: int = 2, beat: bool = False) -> Iterator[WorkerProcess]:
    process = WorkerProcess(concurrency, beat)
    try:
        yield process
    finally:
        process.stop()


class WebProcess:
    """uvicorn serving the console in its own process (or `workers` of them, as deployed), whose CPU time
    can be read (Linux /proc; with several workers, the supervising process's only)."""

    def __init__(self, workers: int = 1, environment: dict[str, str] | None = None) -> None:
        self.workers = workers
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "uvicorn", "dashboard.asgi:application", "--port", str(port),
                   "--workers", str(workers), "--log-level", "warning"]  # fmt: skip
        environment = {**os.environ, **(environment or {})}
        # stdout: the results
        self._process = subprocess.Popen(command, cwd=ROOT, stdout=sys.stderr, env=environment)
        import httpx2

        for _ in range(300):
            try:
                httpx2.get(f"{self.url}/healthz", timeout=2)
                return
            except httpx2.TransportError:
                time.sleep(0.05)
        raise SystemExit("the web server did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far."""
        fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def restart(self) -> None:
        """SIGHUP: uvicorn's supervisor (`--workers` > 1) starts new processes and stops the old ones
        one by one, on the same socket."""
        self._process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


@contextmanager
def beat_process() -> Iterator[subprocess.Popen]:
    """`celery beat` in its own process: the periodic tasks (sync, reconcile ...) sent once, whatever the
    number of workers."""
    schedule = Path(tempfile.mkdtemp(prefix="bench-beat-")) / "beat-schedule"
    command = [sys.executable, "-m", "celery", "-A", "dashboard", "beat", "--schedule", str(schedule),
               "--loglevel", "WARNING"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=sys.stderr)  # stdout: the results
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def web_process(workers: int = 1, environment: dict[str, str] | None = None) -> Iterator[WebProcess]:
    """The web server; `environment`: variables of its own, over this process's."""
    server = WebProcess(workers, environment)
    try:
        yield server
    finally:
        server.stop()


class AsgiServer:
    """uvicorn serving the console in a thread of this process (`with AsgiServer() as server:`)."""

    def __init__(self) -> None:
        import uvicorn

        from dashboard.asgi import application

        self.url = f"http://127.0.0.1:{free_port()}"
        port = int(self.url.rsplit(":", 1)[1])
        config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> "AsgiServer":
        self._thread.start()
        while not self._server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def session_cookies(user: Any, base_url: str, page: str = "/") -> tuple[dict[str, str], str]:
    """A logged-in session for `user` on the server at `base_url`, and its CSRF token."""
    import httpx2
    from django.test import Client

    login = Client()
    login.force_login(user)
    cookies = {"sessionid": login.cookies["sessionid"].value}
    response = httpx2.get(f"{base_url}{page}", cookies=cookies)
    cookies["csrftoken"] = response.cookies["csrftoken"]
    return cookies, cookies["csrftoken"]
