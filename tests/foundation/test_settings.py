"""Settings come from the environment; the production mode is strict."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from dashboard import checks
from dashboard.environment import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "dashboard.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "console.example.org",
        "VAR_DIR": str(tmp_path),
    }


def test_env_bool_reads_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_env_bool_refuses_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG", False)


def test_env_int_and_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNT", "12")
    monkeypatch.setenv("HOSTS", " a.example , b.example ,")
    assert env_int("COUNT", 1) == 12
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    env["SECRET_KEY"] = ""
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_development_generates_and_keeps_its_secrets(tmp_path: Path) -> None:
    env = {"VAR_DIR": str(tmp_path), "SECRET_KEY": "", "TOKEN_ENCRYPTION_KEY": ""}
    first = run_manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", **env)
    second = run_manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", **env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip().splitlines()[-1]


def test_endpoints_api_base_is_applied_to_huggingface_hub(tmp_path: Path) -> None:
    code = "from huggingface_hub import constants; print(constants.INFERENCE_ENDPOINTS_ENDPOINT)"
    result = run_manage(
        "shell", "-c", code, VAR_DIR=str(tmp_path), HF_ENDPOINTS_API_URL="http://127.0.0.1:9/v2"
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:9/v2", result.stderr


def test_inference_catalog_base_is_applied_to_huggingface_hub(tmp_path: Path) -> None:
    code = "from huggingface_hub import constants; print(constants.INFERENCE_CATALOG_ENDPOINT)"
    result = run_manage(
        "shell", "-c", code, VAR_DIR=str(tmp_path), HF_INFERENCE_CATALOG_URL="http://127.0.0.1:9/api/catalog"
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:9/api/catalog", result.stderr


def test_postgresql_database_url_works(tmp_path: Path) -> None:
    """The same migrations run on a real PostgreSQL database named by DATABASE_URL."""
    import psycopg

    admin_url = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres")
    database = f"console_test_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        url = admin_url.rsplit("/", 1)[0] + f"/{database}"
        result = run_manage("migrate", "--noinput", DATABASE_URL=url, VAR_DIR=str(tmp_path))
        assert result.returncode == 0, result.stderr
        vendor = run_manage(
            "shell",
            "-c",
            "from django.db import connection; print(connection.vendor)",
            DATABASE_URL=url,
            VAR_DIR=str(tmp_path),
        )
        assert vendor.stdout.strip().splitlines()[-1] == "postgresql"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_a_reconcile_grace_shorter_than_the_longest_poll_gap_is_refused(tmp_path: Path) -> None:
    """The environment's values, through `manage.py check` as the deployment's migrate runs it."""
    env = {"VAR_DIR": str(tmp_path), "RECONCILE_GRACE_SECONDS": "10", "OPERATION_POLL_MAX_SECONDS": "15"}
    refused = run_manage("check", **env)
    assert refused.returncode == 1
    assert "(dashboard.E001) RECONCILE_GRACE_SECONDS (10) must be longer than the longest poll gap" in (
        refused.stderr
    )
    assert run_manage("check", **{**env, "RECONCILE_GRACE_SECONDS": "20"}).returncode == 0


@pytest.mark.parametrize(
    ("contradiction", "check_id"),
    [
        ({"OPERATION_POLL_INITIAL_SECONDS": 30.0}, "dashboard.E002"),
        ({"OPERATION_POLL_FACTOR": 0.9}, "dashboard.E003"),
        ({"CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 10}}, "dashboard.E004"),
        ({"CELERY_TASK_SOFT_TIME_LIMIT": 180}, "dashboard.E005"),
        ({"HF_API_RETRY_BASE_SECONDS": 20.0}, "dashboard.E006"),
        ({"PLAYGROUND_WAKE_RETRY_SECONDS": 30.0}, "dashboard.E007"),
        ({"METRICS_INTERVAL_SECONDS": 86_400, "METRICS_RETENTION_DAYS": 1}, "dashboard.E008"),
    ],
)
def test_contradictory_settings_are_refused(settings, contradiction: dict, check_id: str) -> None:
    settings.OPERATION_POLL_MAX_SECONDS, settings.RECONCILE_GRACE_SECONDS = 15.0, 300
    settings.PLAYGROUND_WAKE_TIMEOUT_SECONDS = 20.0
    assert [error.id for error in checks.contradictory_settings(None)] == []
    for name, value in contradiction.items():
        setattr(settings, name, value)
    assert [error.id for error in checks.contradictory_settings(None)] == [check_id]


def test_every_variable_the_settings_read_is_in_the_readme() -> None:
    source = (ROOT / "dashboard" / "settings.py").read_text()
    read = set(re.findall(r'(?:env_\w+|required_or_development_secret)\(\s*"([A-Z0-9_]+)"', source))
    readme = (ROOT / "README.md").read_text()
    assert len(read) > 50
    assert {name for name in read if f"`{name}`" not in readme} == set()
