"""Talking to the real ASGI server as a logged-in browser would: session cookie, CSRF token, streamed POST."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
from django.contrib.auth.models import User
from django.test import Client

from tests.playground.sse import parse_events


class LiveSession:
    def __init__(self, base_url: str, user: User) -> None:
        login = Client()
        login.force_login(user)
        self.http = httpx2.Client(base_url=base_url, cookies=dict(login.cookies.items()), timeout=30)
        self.http.cookies.set("sessionid", login.cookies["sessionid"].value)
        self.http.get("/playground/")  # sets the CSRF cookie
        self.csrf = self.http.cookies["csrftoken"]

    @contextmanager
    def answer(self, form: dict[str, Any]) -> Iterator[httpx2.Response]:
        with self.http.stream(
            "POST", "/playground/answer", data=form, headers={"X-CSRFToken": self.csrf}
        ) as response:
            yield response

    def close(self) -> None:
        self.http.close()


def stream_events(response: httpx2.Response) -> Iterator[tuple[str, dict[str, Any]]]:
    """Events as they arrive (each event block comes whole in its own chunk)."""
    buffer = b""
    for chunk in response.iter_raw():
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            yield from parse_events(block + b"\n\n")


def log_in_browser(page: Any, base_url: str, user: User) -> None:
    """Gives the browser the session cookie of a logged-in user."""
    login = Client()
    login.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": login.cookies["sessionid"].value, "url": base_url}]
    )
