"""One trip to a thread per request for the middleware, under the ASGI server.

Under ASGI, Django runs each hook of a `MiddlewareMixin` middleware (Django's own, django-csp's, ...) in the
request's thread and comes back to the event loop after it: 19 trips for a page of this stack. A middleware
that is synchronous only makes Django run the middleware listed before it synchronously, in one trip, and
adapt the handler below it once (`django.core.handlers.base.BaseHandler.load_middleware`). Listed last, this
one does, up to the static files' middleware (async, so SecurityMiddleware before it keeps its two trips): 8
trips a page (tests/foundation/test_middleware_chain.py; the gain is in the README's Performance section).

What follows from it: async views (the streaming answer) still run in the event loop, but the request's
thread waits for them, and ends when they return; a task an async view leaves running cannot reach the
database after that (its thread-sensitive `sync_to_async` has no thread left), so such views wait for every
task they start (`playground_app/views/images.py`, `compare_images`). A client that leaves while the chain
runs is noticed once the view returns. asgiref 3.13 or newer is required: older releases joined the
request's thread from the event loop, which hangs when the client leaves during the chain (asgiref #535).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class OneThreadForTheChain:
    """Passes the request on; its only effect is to be synchronous only (see the module's docstring)."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)
