"""The database work of a long async view (a streaming answer, an image or embeddings request), in trips to
the request's thread that hand its pooled connection back (PostgreSQL's pool, dashboard/settings.py).

Such a view waits on an endpoint for seconds, an answer for minutes at times, and needs the database only
now and then: its checks, what it records, an answer's save every second. Django returns a request's
connection when the request finishes, so each of them held one while it waited, and a few dozen would use up
a process's pool while the other pages waited for a connection. Without a pool there is nothing to hand back
(SQLite's connection is kept for the request, as before)."""

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import connection

P = ParamSpec("P")
R = TypeVar("R")


def database_trip(function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """`function` run in the request's thread (asgiref's `sync_to_async`), its pooled connection handed back
    when it returns."""

    @functools.wraps(function)
    def handing_the_connection_back(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
                connection.close()  # to the pool; the next query takes one from it

    return sync_to_async(handing_the_connection_back)
