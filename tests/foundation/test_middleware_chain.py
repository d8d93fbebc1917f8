"""Under the ASGI server the middleware runs in one trip to the request's thread (dashboard/middleware.py),
and what is behind it still answers: a page, the login redirect. (The streaming answer and its Stop, an async
view, are tested through uvicorn in tests/playground/test_streaming_asgi.py.)"""

from collections.abc import Iterator

import pytest
from asgiref.sync import SyncToAsync, async_to_sync
from django.test import AsyncClient

from tests.fixtures.team import make_user

# A page's trips to a thread: the request_started signal, SecurityMiddleware's two hooks (it comes before the
# static files' middleware, which is async), the rest of the chain at once, the view middleware's hooks (CSRF,
# login), the view, and closing the response. With a trip for each hook, this page took 19.
MOST_TRIPS = 8


@pytest.fixture
def trips(monkeypatch) -> Iterator[list[str]]:
    """The names of the functions run in a thread from the event loop, as they are sent there."""
    sent: list[str] = []
    send = SyncToAsync.__call__

    async def counted(self: SyncToAsync, *args: object, **kwargs: object) -> object:
        sent.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await send(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    yield sent


@pytest.mark.django_db
def test_a_page_through_the_asgi_handler_takes_one_trip_for_the_middleware_chain(trips: list[str]) -> None:
    client = AsyncClient()
    async_to_sync(client.aforce_login)(make_user("viewer-1", "viewer"))
    trips.clear()
    response = async_to_sync(client.get)("/endpoints/")
    assert response.status_code == 200
    # Of the hooks, only the view middleware's (Django calls them apart) and SecurityMiddleware's (before the
    # static files' middleware) take trips of their own.
    hooks = [trip for trip in trips if ".process_" in trip and not trip.startswith("SecurityMiddleware.")]
    assert hooks == ["CsrfViewMiddleware.process_view", "LoginRequiredMiddleware.process_view"], trips
    assert len(trips) <= MOST_TRIPS, trips


@pytest.mark.django_db
def test_the_login_redirect_and_the_health_check_answer_through_the_asgi_handler() -> None:
    client = AsyncClient()
    assert async_to_sync(client.get)("/healthz").json() == {"status": "ok"}
    response = async_to_sync(client.get)("/endpoints/")
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")
