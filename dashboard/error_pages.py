"""The error pages (Django's own views and templates) made to close the database connection they use.

Under ASGI, Django 5.2 renders an error page on a thread of the event loop's default executor, not on the
request's thread (`response_for_exception` with `thread_sensitive=False`; Django ticket #36027, fixed after
5.2). The page's context processors (the user, the notification bell) open a connection on that thread, and
the `request_started` / `request_finished` receivers that check and close connections never run there: it
would stay open for the life of the process, and fail the next error page of that thread once the database
has dropped it. So each page does on its thread what those receivers do around a request.
"""

from collections.abc import Callable
from functools import wraps

from django.db import connections
from django.http import HttpResponse
from django.views import defaults


def _close_old_connections() -> None:
    """Django's `close_old_connections`, except for a connection inside a transaction (under WSGI, and in
    tests, the page is rendered on the request's thread, whose transaction may still be open)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def _closing_connections(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def page(*args: object, **kwargs: object) -> HttpResponse:
        _close_old_connections()
        try:
            return view(*args, **kwargs)
        finally:
            _close_old_connections()

    return page


bad_request = _closing_connections(defaults.bad_request)
permission_denied = _closing_connections(defaults.permission_denied)
page_not_found = _closing_connections(defaults.page_not_found)
server_error = _closing_connections(defaults.server_error)
