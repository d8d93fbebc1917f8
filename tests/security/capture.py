"""Everything a secret could leak into, captured while a test runs: response bodies and headers, log records
of every logger at DEBUG (worker threads included), the arguments of every Celery task published, and the
message of every exception the project's code makes."""

import importlib
import logging
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from celery.signals import before_task_publish
from django.http import HttpResponse
from django.test import Client

PROJECT_PACKAGES = ("dashboard", "endpoints_app", "playground_app")


@dataclass
class Capture:
    """Texts by where they were seen."""

    texts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, source: str, text: str) -> None:
        self.texts.append((source, text))

    def sources(self, prefix: str) -> list[str]:
        return [source for source, _ in self.texts if source.startswith(prefix)]

    def leaks(self, secrets: list[str]) -> list[str]:
        """'<source>: <secret>' for each text that holds one of the secrets."""
        return [f"{source}: {secret}" for source, text in self.texts for secret in secrets if secret in text]


class RecordingClient(Client):
    """A test client that adds each response (status, headers, cookies, whole body) to a capture. A streamed
    body is read to its end and handed on as one chunk."""

    capture: Capture

    def request(self, **request: Any) -> HttpResponse:
        response = super().request(**request)
        if response.streaming:
            body = (
                async_to_sync(_read)(response) if response.is_async else b"".join(response.streaming_content)
            )
            response.streaming_content = [body]
        else:
            body = response.content
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        where = f"response {request['REQUEST_METHOD']} {request['PATH_INFO']} {response.status_code}"
        self.capture.add(where, f"{headers}\n{response.cookies.output()}\n\n{body.decode(errors='replace')}")
        return response


async def _read(response: HttpResponse) -> bytes:
    return b"".join([chunk async for chunk in response])


def recording_client(capture: Capture) -> RecordingClient:
    client = RecordingClient()
    client.capture = capture
    return client


class _RecordEverything(logging.Handler):
    def __init__(self, capture: Capture) -> None:
        super().__init__(logging.DEBUG)
        self.capture = capture
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s [%(threadName)s] %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.capture.add(f"log {record.name}", self.format(record))


@contextmanager
def recording_logs(capture: Capture) -> Iterator[None]:
    """Every logger at DEBUG; a handler on the root logger, and on each logger that keeps its records to
    itself (propagate off). Levels, switches and handlers are put back afterwards."""
    handler = _RecordEverything(capture)
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict)),
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    listened = [logger for logger in loggers if logger is logging.root or not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    for logger in listened:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in listened:
            logger.removeHandler(handler)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


@contextmanager
def recording_task_publishes(capture: Capture) -> Iterator[None]:
    """The body (args, kwargs) and headers (argsrepr, kwargsrepr) of every task sent, from any thread."""

    def on_publish(sender: str | None = None, body: Any = None, headers: Any = None, **_: Any) -> None:
        capture.add(f"task {sender}", f"{body!r}\n{headers!r}")

    before_task_publish.connect(on_publish, weak=False)
    try:
        yield
    finally:
        before_task_publish.disconnect(on_publish)


def project_exception_classes() -> list[type[BaseException]]:
    """Every exception class defined by the console's packages (each of their modules imported first)."""
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found, pending = [], [BaseException]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_PACKAGES:
                found.append(subclass)
    return found


def recording_exception_messages(capture: Capture, monkeypatch: pytest.MonkeyPatch) -> list[type]:
    """Each project exception, when made, adds its message. Patching the root classes is enough: the others
    inherit their __init__ or call it. Returns the classes watched."""
    classes = project_exception_classes()
    roots = [cls for cls in classes if not any(base in classes for base in cls.__mro__[1:])]
    for root in roots:
        monkeypatch.setattr(root, "__init__", _recording_init(root.__init__, capture))
    return classes


def _recording_init(original: Callable[..., None], capture: Capture) -> Callable[..., None]:
    def recording_init(self: BaseException, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        capture.add(f"exception {type(self).__qualname__}", str(self))

    return recording_init
