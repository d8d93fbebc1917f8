"""The database work of a streaming answer, in trips to the request's thread that hand its pooled connection
back (PostgreSQL's pool, dashboard/settings.py).

An answer keeps its request open as long as the endpoint writes, minutes at times, and needs the database
only now and then: its checks, its question, a save every second, its end. Django returns a request's
connection when the request finishes, so every open answer held one, and a few dozen of them would use up
a process's pool while the other pages waited for a connection. Without a pool there is nothing to hand
back (SQLite's connection is kept for the request, as before).
"""

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
