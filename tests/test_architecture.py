"""The layout's rules, checked on the code itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
