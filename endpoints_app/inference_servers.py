"""The pooled HTTP clients that reach inference servers (an endpoint's own URL, as the mirror has it, never
one a browser sent): one client per process for the workers' short requests (health checks, /metrics), one
per event loop for the playground's answers. Connections are reused across requests (a new client loads the
CA store, ~16 ms); each caller gives its own timeout; no proxy is taken from the environment, since the
endpoint's URL is the only destination.
"""

import asyncio
import threading
import weakref

import httpx2

LIMITS = httpx2.Limits(max_connections=200, max_keepalive_connections=50)

_lock = threading.Lock()
_client: httpx2.Client | None = None
_async_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx2.AsyncClient]" = (
    weakref.WeakKeyDictionary()
)


def client() -> httpx2.Client:
    """The process's client (thread-safe: the workers' threads share its pool)."""
    global _client
    with _lock:
        if _client is None or _client.is_closed:
            _client = httpx2.Client(limits=LIMITS, trust_env=False)
        return _client


def async_client() -> httpx2.AsyncClient:
    """The running event loop's client (asyncio connections belong to the loop that opened them)."""
    loop = asyncio.get_running_loop()
    shared = _async_clients.get(loop)
    if shared is None or shared.is_closed:
        shared = httpx2.AsyncClient(limits=LIMITS, trust_env=False)
        _async_clients[loop] = shared
    return shared
