"""Status checks of many waiting operations share one list call per namespace.

With one operation waiting in a namespace, its check reads the endpoint (one GET). With several, the first
check lists the namespace and the others made within LISTING_MAX_AGE reuse that answer: one API call per
namespace per round of checks instead of one per endpoint (the service rate-limits a team that polls 200
endpoints one by one). A fresh listing also wakes the other waiting operations whose endpoint it shows in a
new state: they are checked at once rather than at their next scheduled check, so an endpoint that came up
is seen within a round, not up to one schedule gap late.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from endpoints_app import tasks
from endpoints_app.hf import HfGateway, RemoteEndpoint
from endpoints_app.models import Namespace, Operation
from endpoints_app.models.endpoints import TRANSITIONAL_STATUSES
from endpoints_app.models.operations import OperationState
from endpoints_app.services import queue
from endpoints_app.services.errors import ActionRefused

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_recent: dict[int, tuple[float, dict[str, RemoteEndpoint]]] = {}  # namespace id -> (fetched at, by name)


def remote_state(gateway: HfGateway, namespace: Namespace, name: str) -> RemoteEndpoint:
    """The endpoint as the API describes it now (within LISTING_MAX_AGE); NotFound when it is gone."""
    waiting = Operation.objects.filter(namespace=namespace, state=OperationState.WAITING).count()
    if waiting <= 1:
        return gateway.get_endpoint(namespace.name, name)
    fresh = False
    with _lock:
        fetched_at, by_name = _recent.get(namespace.pk, (0.0, {}))
        if time.monotonic() - fetched_at > settings.OPERATION_LISTING_MAX_AGE_SECONDS:
            by_name = {remote.name: remote for remote in gateway.list_endpoints(namespace.name)}
            _recent[namespace.pk] = (time.monotonic(), by_name)
            fresh = True
    if fresh:
        _wake_changed(namespace, by_name, checking=name)
    if name in by_name:
        return by_name[name]
    # Not in a list made a moment ago: it may be newer than the list (just created). Ask for it alone.
    return gateway.get_endpoint(namespace.name, name)


def _wake_changed(namespace: Namespace, by_name: dict[str, RemoteEndpoint], checking: str) -> None:
    """Moves the next check of each waiting operation whose endpoint changed state to now, and sends it.

    Only scheduled checks are moved: a check in progress holds its operation with a lease far longer than
    any schedule gap (RECONCILE_GRACE_SECONDS > OPERATION_POLL_MAX_SECONDS). The check already scheduled
    still comes, finds nothing due and ends, or is the one that runs if sending this one fails.
    """
    now = timezone.now()
    scheduled = (
        Operation.objects.filter(
            namespace=namespace,
            state=OperationState.WAITING,
            next_check_at__gt=now,
            next_check_at__lte=now + timedelta(seconds=settings.OPERATION_POLL_MAX_SECONDS),
        )
        .exclude(endpoint_name=checking)
        .values_list("pk", "endpoint_name", "remote_state", "next_check_at")
    )
    for pk, name, known_state, due in scheduled:
        listed = by_name.get(name)
        if listed is None or listed.status == known_state or listed.status in TRANSITIONAL_STATUSES:
            continue
        if Operation.objects.filter(pk=pk, next_check_at=due).update(next_check_at=now):
            try:
                queue.send(tasks.check_operation, pk)
            except ActionRefused:
                logger.warning("Could not wake operation %s; its scheduled check will see the change.", pk)


def forget() -> None:
    """Drops the remembered listings (tests change the world between two checks)."""
    with _lock:
        _recent.clear()
