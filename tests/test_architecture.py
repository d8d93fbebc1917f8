"""The layout's rules, checked on the code itself."""

import pkgutil
import re
import tomllib
from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
APPS = ("dashboard", "endpoints_app", "billing", "playground_app")
ROLES_MODULE = ROOT / "endpoints_app" / "roles.py"
# A permission written out: 'endpoints_app.operate_endpoint', 'auth.view_user' ...
PERMISSION_STRING = re.compile(
    r"""["'](?:endpoints_app|auth)\.(?:view|add|change|delete|operate|remove|manage|use)_\w+["']"""
)


def _app_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts  # frozen copies, as migrations are
    ]


def test_permissions_are_named_in_the_roles_module_only() -> None:
    """Views and services use the constants and checks of endpoints_app/roles.py."""
    written_out = {
        f"{path.relative_to(ROOT)}:{number}": line.strip()
        for path in _app_modules()
        if path != ROLES_MODULE
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PERMISSION_STRING.search(line) or "permission_required(" in line
    }
    assert written_out == {}


def test_dependencies_point_one_way() -> None:
    """playground_app, billing -> endpoints_app -> dashboard core (the import-linter contract of
    pyproject.toml); its report says which import breaks it."""
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True) == EXIT_STATUS_SUCCESS


def test_every_module_of_dashboard_is_in_the_shell_or_the_core() -> None:
    """A new module of dashboard is checked by the contract only once it is given its layer."""
    (contract,) = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    layered = {name.strip() for layer in contract["layers"] for name in re.split("[|:]", layer)}
    modules = {f"dashboard.{module.name}" for module in pkgutil.iter_modules([str(ROOT / "dashboard")])}
    assert modules - layered == set()
