"""Where the browser tests save their screenshots: var/screenshots/ (git ignores it), never over tracked
files. The README's pictures are refreshed on purpose, by running those tests with SCREENSHOTS_DIR set to
docs/screenshots/:

    python -m tests.browser.screenshots        (make screenshots)
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_PICTURES = ROOT / "docs" / "screenshots"
TESTS_TAKING_THEM = (
    "tests/browser/test_login.py",  # overview.png
    "tests/browser/test_endpoints_create_and_pause.py",  # endpoints.png
    "tests/browser/test_billing_admin.py",  # costs.png
)


def save(page: object, name: str) -> Path:
    """A full-page screenshot of the Playwright `page`, as `name` in SCREENSHOTS_DIR (var/screenshots/)."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    return path


def main() -> None:
    environment = {**os.environ, "SCREENSHOTS_DIR": str(README_PICTURES)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS_TAKING_THEM]
    raise SystemExit(subprocess.call(command, cwd=ROOT, env=environment))


if __name__ == "__main__":
    main()
