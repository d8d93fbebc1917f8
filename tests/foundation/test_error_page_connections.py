"""Error pages served by the ASGI server leave no database connection open.

Django 5.2 renders an error page on a thread of the event loop's default executor, not on the request's own
thread (django/core/handlers/exception.py; Django ticket #36027), so the request_finished signal that closes
connections never runs where the page's context processors (the user, the notification bell) opened one.
"""

import gc
import sqlite3
from collections.abc import Iterator

import httpx2
import pytest
from django.db import connection
from django.test import Client

from tests.fixtures.live_server import LiveAsgiServer
from tests.fixtures.team import make_user
from tests.waiting import wait_until


def opened_since(mark: object) -> int:
    """Connections to the test database opened since `mark` (from `now_mark`) and still open, other than this
    thread's (PostgreSQL: sessions that began since; SQLite: sqlite3 connections of this process)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_start >= %s",
                [mark],
            )
            return cursor.fetchone()[0]
    return len(_open_sqlite_connections() - mark)


def now_mark() -> object:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return _open_sqlite_connections()


def _open_sqlite_connections() -> set[int]:
    gc.collect()  # connections of threads that ended are closed when collected
    # type(), not isinstance(): lazy objects (Django's, django-csp's) would be evaluated by the latter.
    found = [thing for thing in gc.get_objects() if issubclass(type(thing), sqlite3.Connection)]
    return {id(sqlite_connection) for sqlite_connection in found if _is_open(sqlite_connection)}


def _is_open(sqlite_connection: sqlite3.Connection) -> bool:
    try:
        sqlite_connection.total_changes  # noqa: B018 (raises once closed)
    except sqlite3.ProgrammingError:
        return False
    return True


@pytest.fixture
def fresh_asgi_server(transactional_db: None) -> Iterator[LiveAsgiServer]:
    """An ASGI server of the test's own: its event loop's executor threads hold nothing yet."""
    server = LiveAsgiServer()
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(("path", "status"), [("/favicon.ico", 404), ("/billing/policies/new/budget/", 403)])
def test_an_error_page_leaves_no_connection_open(fresh_asgi_server, path: str, status: int) -> None:
    client = Client()
    client.force_login(make_user("vic", "viewer"))
    session = {"sessionid": client.cookies["sessionid"].value}
    mark = now_mark()

    for _ in range(3):
        response = httpx2.get(f"{fresh_asgi_server.url}{path}", cookies=session, timeout=10)
        assert response.status_code == status

    # A page's own request closes its connection just after the answer is sent: allow it a moment.
    wait_until(lambda: opened_since(mark) == 0, timeout=3, what="the connections to be closed")
