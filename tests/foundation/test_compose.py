"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked by parsing it."""

import importlib.util
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"web", "worker", "beat", "redis", "postgres", "hubsim"}
APP_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_words(service: dict) -> list[str]:
    command = service["command"]
    words = shlex.split(command) if isinstance(command, str) else list(command)
    if words[:2] == ["sh", "-c"]:
        return [word for part in words[2:] for word in shlex.split(part)]
    return words


def test_every_service_is_declared_with_a_healthcheck_or_dependency(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == SERVICES
    for name in {"web", "worker", "redis", "postgres", "hubsim"}:
        assert "healthcheck" in services[name], name
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_web_worker_and_beat_share_the_same_settings(compose: dict) -> None:
    """But the worker's database pool: Celery closes it after each task (dashboard/settings.py)."""
    services = compose["services"]
    assert services["worker"]["environment"]["DB_POOL_MAX_SIZE"] == "0"
    assert services["web"]["environment"]["DB_POOL_MAX_SIZE"] == "${DB_POOL_MAX_SIZE:-20}"
    environments = [
        {name: value for name, value in services[app]["environment"].items() if name != "DB_POOL_MAX_SIZE"}
        for app in APP_SERVICES
    ]
    assert all(environment == environments[0] for environment in environments)
    shared = environments[0]
    assert shared["DJANGO_ENV"] == "production"
    assert shared["DATABASE_URL"].startswith("postgres://")
    assert shared["REDIS_URL"] == "redis://redis:6379/0"


def test_commands_name_modules_that_exist(compose: dict) -> None:
    services = compose["services"]
    web = command_words(services["web"])
    asgi_module, asgi_attribute = web[web.index("uvicorn") + 1].split(":")
    module = importlib.import_module(asgi_module)
    assert hasattr(module, asgi_attribute)
    assert "manage.py" in web and (ROOT / "manage.py").exists()
    for name in ("worker", "beat"):
        words = command_words(services[name])
        assert words[:3] == ["celery", "-A", "dashboard"]
        assert words[3] == name
    assert (ROOT / "dashboard" / "celery.py").exists()
    hubsim = command_words(services["hubsim"])
    assert hubsim[:3] == ["python", "-m", "hubsim"]
    assert importlib.util.find_spec("hubsim.__main__") is not None


def test_the_image_is_built_from_the_repository_dockerfile(compose: dict) -> None:
    assert compose["x-app"]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    folders = [pattern.rstrip("*") for pattern in packages["include"]]  # every package the project installs
    assert {"dashboard", "endpoints_app", "billing", "playground_app", "hubsim"} <= set(folders)
    for folder in (*folders, "templates", "static"):
        assert f"COPY {folder} ./{folder}" in dockerfile


def interpolate(text: str, environment: dict[str, str]) -> str:
    """Compose's `${NAME:-default}`: the variable when set and not empty, else the default."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda match: environment.get(match[1]) or match[2], text)


def option(words: list[str], name: str) -> str:
    return words[words.index(name) + 1]


@pytest.mark.parametrize(
    ("environment", "web", "concurrency", "replicas"),
    [
        ({}, "2", "2", "1"),  # the default: two web processes behind port 8000, two task processes
        ({"WEB_CONCURRENCY": "4", "WORKER_CONCURRENCY": "3", "WORKER_REPLICAS": "2"}, "4", "3", "2"),
    ],
)
def test_web_processes_and_workers_scale_from_the_environment(
    compose: dict, environment: dict[str, str], web: str, concurrency: str, replicas: str
) -> None:
    services = compose["services"]
    web_words = [interpolate(word, environment) for word in command_words(services["web"])]
    worker_words = [interpolate(word, environment) for word in command_words(services["worker"])]
    assert option(web_words, "--workers") == web
    assert option(web_words, "--port") == "8000"  # one address, whatever the number of processes
    assert option(worker_words, "--concurrency") == concurrency
    assert interpolate(str(services["worker"]["deploy"]["replicas"]), environment) == replicas
    assert "deploy" not in services["beat"]  # one beat: two would send every periodic task twice
