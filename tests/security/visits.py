"""Requests as each member of the team (or nobody), each undone afterwards so that every request finds the
same rows, and what a test compares of an answer: its status and where it redirects."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from tests.security.rows import People

ANONYMOUS = "anonymous"
ROLES = ("viewer", "operator", "admin")
VISITORS = (ANONYMOUS, *ROLES)


@dataclass(frozen=True)
class Answer:
    status: int
    location: str  # the path a redirect goes to, else ""

    @classmethod
    def of(cls, response: HttpResponse) -> "Answer":
        location = urlsplit(response["Location"]).path if response.has_header("Location") else ""
        return cls(response.status_code, location)

    def __str__(self) -> str:
        return f"{self.status} to {self.location}" if self.location else str(self.status)


@contextmanager
def undone() -> Iterator[None]:
    """Whatever happens inside is rolled back (a savepoint of the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Visitors:
    """One client per visitor, reused (a new test client loads the whole middleware stack again); each
    request carries the visitor's session, even after a request that logged out. A server error is an
    answer (500) like any other, not an exception in the test."""

    def __init__(self, people: People, *, enforce_csrf_checks: bool = False) -> None:
        self._clients = {
            visitor: Client(enforce_csrf_checks=enforce_csrf_checks, raise_request_exception=False)
            for visitor in VISITORS
        }
        self._sessions = {ANONYMOUS: ""}
        for role in ROLES:
            self._clients[role].force_login(people.by_role(role))
            self._sessions[role] = self._clients[role].cookies[settings.SESSION_COOKIE_NAME].value

    def client(self, visitor: str) -> Client:
        client = self._clients[visitor]
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        if self._sessions[visitor]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self._sessions[visitor]
        return client

    def response(self, visitor: str, method: str, url: str, **extra: object) -> HttpResponse:
        with undone():
            return getattr(self.client(visitor), method)(url, **extra)

    def answer(self, visitor: str, method: str, url: str, **extra: object) -> Answer:
        return Answer.of(self.response(visitor, method, url, **extra))
