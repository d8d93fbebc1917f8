"""Files built once and kept on disk so that a restarted hubsim does not rebuild them.

Entries live in a folder named after the package's fingerprint, so a changed source, template or corpus never
reads a stale entry; folders of other fingerprints are removed when a new one is made."""

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import tokenizers

PACKAGE_DIR = Path(__file__).parent
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def cache_dir() -> Path:
    configured = os.environ.get("HUBSIM_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hubsim"


@cache
def package_fingerprint() -> str:
    """Changes with any source, template or corpus file of this package, or with the tokenizers version."""
    digest = hashlib.sha256(tokenizers.__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".jinja", ".txt"):
            digest.update(f"{path.relative_to(PACKAGE_DIR)}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def cached_text(name: str, build: Callable[[], str]) -> str:
    """The cached text called `name`, built and stored first if it is missing."""
    path = cache_dir() / package_fingerprint() / name
    with contextlib.suppress(OSError):  # missing or unreadable: build it
        return path.read_text(encoding="utf-8")
    text = build()
    with contextlib.suppress(OSError):  # a read-only or full disk only costs a rebuild next time
        if not path.parent.exists():
            _remove_other_fingerprints()
        _write_atomically(path, text)
    return text


def _remove_other_fingerprints() -> None:
    for folder in cache_dir().glob("*"):
        if _FINGERPRINT.fullmatch(folder.name) and folder.name != package_fingerprint():
            shutil.rmtree(folder, ignore_errors=True)


def _write_atomically(path: Path, text: str) -> None:
    # Write then rename, so that concurrent hubsim processes never read a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
