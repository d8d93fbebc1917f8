"""Settings come from the environment; the production mode is strict."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

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
