"""Running copied code as a person would: a script of its own, in a fresh interpreter, with HF_TOKEN set
(HF_ENDPOINT already points at hubsim, from tests/settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures.team import DEMO_TOKEN


def run_snippet(source: str, folder: Path) -> subprocess.CompletedProcess:
    script = folder / "snippet.py"
    script.write_text(source)
    return subprocess.run(
        [sys.executable, str(script)],
        env={**os.environ, "HF_TOKEN": DEMO_TOKEN},
        capture_output=True,
        text=True,
        timeout=120,
    )
