"""Request bodies are bounded before Django reads them (dashboard/body_limit.py), on the real ASGI server:
an oversized one gets 413 at once, even an anonymous POST to the login page."""

import socket
from contextlib import suppress

import httpx2
import pytest
from django.conf import settings
from django.urls import reverse

MEGABYTE = 1024 * 1024


def raw_request(server, head: str, body_parts: tuple[bytes, ...] = ()) -> bytes:
    """Sends the request line and headers, then `body_parts`, on a plain socket; returns what came back."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(head.encode("latin-1"))
        for part in body_parts:
            try:
                connection.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server already answered and closed
        answer = b""
        with suppress(ConnectionResetError):  # the server closes without reading the rest: as meant
            while chunk := connection.recv(65536):
                answer += chunk
    return answer


def post_head(path: str, **headers: str) -> str:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items()),
    ]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_an_oversized_login_post_is_refused_before_its_body_is_sent(asgi_server) -> None:
    """The 413 comes back although not one byte of the declared 50 MB was sent: nothing was read or stored."""
    head = post_head(reverse("login"), Content_Length=str(50 * MEGABYTE), Connection="close")
    answer = raw_request(asgi_server, head)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"Request body too large: at most 1.0\xc2\xa0MB here." in answer


def test_a_chunked_body_is_counted_as_it_arrives(asgi_server) -> None:
    chunk = b"a" * (256 * 1024)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    head = post_head(reverse("login"), Transfer_Encoding="chunked", Connection="close")
    answer = raw_request(asgi_server, head, (framed,) * 8 + (b"0\r\n\r\n",))
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_body_within_the_limit_reaches_django(asgi_server) -> None:
    """Django answers it (the login page's own refusal of a POST without a CSRF token), not the limit."""
    response = httpx2.post(asgi_server.url + reverse("login"), content=b"a" * (MEGABYTE - 10))
    assert response.status_code == 403


@pytest.mark.parametrize(("size", "status"), [(10 * MEGABYTE + 1024, 403), (11 * MEGABYTE, 413)])
def test_the_upload_route_takes_a_little_over_the_upload_limit(asgi_server, size: int, status: int) -> None:
    """A 10 MB image and its multipart envelope pass (on to Django's CSRF check here), 11 MB do not."""
    assert settings.PLAYGROUND_UPLOAD_MAX_BYTES == 10 * MEGABYTE
    response = httpx2.post(asgi_server.url + reverse("playground:upload"), content=b"a" * size)
    assert response.status_code == status
