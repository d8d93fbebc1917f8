"""Status checks of many waiting operations share one list call per namespace.

With one operation waiting in a namespace, its check reads the endpoint (one GET). With several, the first
check lists the namespace and the others made within LISTING_MAX_AGE reuse that answer: one API call per
namespace per round of checks instead of one per endpoint (the service rate-limits a team that polls 200
endpoints one by one).
"""

import threading
import time

from django.conf import settings

from endpoints_app.hf import HfGateway, RemoteEndpoint
from endpoints_app.models import Namespace, Operation
from endpoints_app.models.operations import OperationState

_lock = threading.Lock()
_recent: dict[int, tuple[float, dict[str, RemoteEndpoint]]] = {}  # namespace id -> (fetched at, by name)


def remote_state(gateway: HfGateway, namespace: Namespace, name: str) -> RemoteEndpoint:
    """The endpoint as the API describes it now (within LISTING_MAX_AGE); NotFound when it is gone."""
    waiting = Operation.objects.filter(namespace=namespace, state=OperationState.WAITING).count()
    if waiting <= 1:
        return gateway.get_endpoint(namespace.name, name)
    with _lock:
        fetched_at, by_name = _recent.get(namespace.pk, (0.0, {}))
        if time.monotonic() - fetched_at > settings.OPERATION_LISTING_MAX_AGE_SECONDS:
            by_name = {remote.name: remote for remote in gateway.list_endpoints(namespace.name)}
            _recent[namespace.pk] = (time.monotonic(), by_name)
    if name in by_name:
        return by_name[name]
    # Not in a list made a moment ago: it may be newer than the list (just created). Ask for it alone.
    return gateway.get_endpoint(namespace.name, name)


def forget() -> None:
    """Drops the remembered listings (tests change the world between two checks)."""
    with _lock:
        _recent.clear()
