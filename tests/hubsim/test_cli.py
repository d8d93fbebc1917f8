"""``python -m hubsim``'s options: flags, HUBSIM_* environment variables, and --help."""

import subprocess
import sys
from pathlib import Path

import pytest

from hubsim.cli import build_parser, settings_from_args


def test_help_documents_every_option_and_its_variable() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "hubsim", "--help"], capture_output=True, text=True, check=True
    ).stdout
    options = [action.option_strings[0] for action in build_parser()._actions if action.dest != "help"]
    variables = [
        f"HUBSIM_{action.dest.upper()}" for action in build_parser()._actions if action.dest != "help"
    ]
    assert [option for option in options if option not in help_text] == []
    assert [variable for variable in variables if variable not in help_text.replace("\n", " ")] == []


def test_environment_variables_set_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSIM_PORT", "9999")
    monkeypatch.setenv("HUBSIM_DEPLOY_SECONDS", "0.5")
    monkeypatch.setenv("HUBSIM_STATE_FILE", "/tmp/hubsim-state.json")
    monkeypatch.setenv("HUBSIM_TOKEN_LATENCY_MS", "0")
    settings = settings_from_args([])
    assert (settings.port, settings.deploy_seconds, settings.state_file, settings.token_latency_ms) == (
        9999,
        0.5,
        Path("/tmp/hubsim-state.json"),
        0.0,
    )


def test_a_flag_wins_over_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSIM_PORT", "9999")
    assert settings_from_args(["--port", "8001"]).port == 8001


def test_endpoint_urls_use_the_public_url_when_given() -> None:
    settings = settings_from_args(["--host", "0.0.0.0", "--public-url", "http://hubsim:8765/"])  # noqa: S104
    assert settings.base_url == "http://hubsim:8765"


def test_a_bind_all_host_still_gives_reachable_urls() -> None:
    bind_all = settings_from_args(["--host", "0.0.0.0", "--port", "8765"])  # noqa: S104
    assert bind_all.base_url == "http://127.0.0.1:8765"
