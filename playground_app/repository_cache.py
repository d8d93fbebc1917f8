"""What the console reads once per model repository and revision in a process (a tokenizer, a model's context
length): each value is loaded once, even when many requests ask for it at the same moment (a workshop's
first questions arrive together), and kept for the life of the process."""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Value = TypeVar("Value")
Key = tuple[str, str]


class RepositoryCache(Generic[Value]):
    """`load(repository, revision, token)` once per (repository, revision); what it raises is not kept, so
    the next request tries again."""

    def __init__(self, load: Callable[[str, str, str], Value]) -> None:
        self._load = load
        self._values: dict[Key, Value] = {}
        self._locks: dict[Key, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, repository: str, revision: str, token: str) -> Value:
        key = (repository, revision)
        if key in self._values:
            return self._values[key]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = self._load(repository, revision, token)
            return self._values[key]

    def clear(self) -> None:
        with self._guard:
            self._values.clear()
            self._locks.clear()
