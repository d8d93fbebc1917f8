"""A real HTTP server between the console and hubsim that keeps every request (method, path, headers and JSON
body) it relays, so a test can read the exact payload that reached the endpoint (hubsim's request log keeps
routes and outcomes only)."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2

HOP_HEADERS = {"connection", "transfer-encoding", "content-length", "keep-alive"}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client closing its pooled connection is normal here, not worth a traceback."""


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[dict[str, Any]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.relay("GET")

            def do_POST(self) -> None:
                self.relay("POST")

            def relay(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy.requests.append(
                    {
                        "method": method,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "json": json.loads(body or b"null"),
                    }
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS | {"host"}}
                with httpx2.stream(
                    method, proxy.upstream + self.path, content=body, headers=headers, timeout=60
                ) as answer:
                    self.send_response(answer.status_code)
                    for name, value in answer.headers.items():
                        if name.lower() not in HOP_HEADERS:
                            self.send_header(name, value)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in answer.iter_raw():
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")

            def log_message(self, *args: object) -> None:
                pass

        self._server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def bodies(self, path_suffix: str = "") -> list[Any]:
        """The bodies POSTed to paths ending with `path_suffix`."""
        return [
            request["json"]
            for request in self.requests
            if request["method"] == "POST" and request["path"].endswith(path_suffix)
        ]

    def routes(self) -> list[str]:
        """Each request as `METHOD /path-under-the-endpoint`, in order (the endpoint's `/e/<id>` dropped)."""
        return [f"{request['method']} {_under_endpoint(request['path'])}" for request in self.requests]

    @contextmanager
    def running(self) -> Iterator["RecordingProxy"]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def _under_endpoint(path: str) -> str:
    """`/e/<id>/v1/models` -> `/v1/models`."""
    return "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
