"""What the Celery tasks do with an operation: one step at a time, safe to run twice.

`start` makes the API call (state calling), then the operation waits (state waiting): `check` reads the
endpoint once and says when to look again, until the endpoint reaches the goal of the operation, fails, or the
deadline passes. No step sleeps to wait: the task re-schedules itself with the returned countdown.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from endpoints_app.hf import (
    AlreadyExists,
    AuthenticationFailed,
    GatewayError,
    HfGateway,
    NoCredential,
    NotFound,
    RateLimited,
    RemoteEndpoint,
)
from endpoints_app.models import Endpoint, EndpointStatus, Operation, OperationKind
from endpoints_app.models.endpoints import TRANSITIONAL_STATUSES
from endpoints_app.models.operations import OperationState
from endpoints_app.services import listings
from endpoints_app.services.mirror import apply_remote, mark_gone
from endpoints_app.services.outcomes import finish
from endpoints_app.services.payloads import (
    catalog_recipe_of,
    decrypt_secrets,
    spec_from_payload,
    update_from_payload,
)
from endpoints_app.token_vault import TokenDecryptionError

logger = logging.getLogger(__name__)

GOAL_STATUS = {
    OperationKind.CREATE: EndpointStatus.RUNNING,
    OperationKind.UPDATE: EndpointStatus.RUNNING,
    OperationKind.RESUME: EndpointStatus.RUNNING,
    OperationKind.PAUSE: EndpointStatus.PAUSED,
    OperationKind.SCALE_TO_ZERO: EndpointStatus.SCALED_TO_ZERO,
}
FAILED_STATUSES = {EndpointStatus.FAILED, EndpointStatus.UPDATE_FAILED}
SETTLED_BY_ANSWER = {OperationKind.PAUSE, OperationKind.SCALE_TO_ZERO}
WAKING = {EndpointStatus.PAUSED, EndpointStatus.SCALED_TO_ZERO}  # what a resume leaves
GOLDEN_RATIO_FRACTION = 0.6180339887498949


def start(operation_id: int) -> float | None:
    """Makes the operation's API call. Returns seconds until the first check, or None when finished."""
    now = timezone.now()
    operation = Operation.objects.select_related("namespace__credential").get(pk=operation_id)
    was_calling = operation.state == OperationState.CALLING
    # Queued, or left calling by a worker that died: never two callers at once.
    queued = Operation.objects.filter(state=OperationState.QUEUED)
    startable = queued | Operation.objects.abandoned(now).filter(state=OperationState.CALLING)
    claimed = startable.filter(pk=operation_id).update(
        state=OperationState.CALLING, started_at=operation.started_at or now, heartbeat_at=now
    )
    if not claimed:
        return None  # already past this step (a duplicate delivery)
    operation.refresh_from_db()
    # A previous attempt that died, or was put back after a rate limit, may have sent its call already.
    repeated = was_calling or bool(operation.error)
    try:
        gateway = HfGateway.for_namespace(operation.namespace)
        remote = _call(gateway, operation, repeated=repeated)
    except RateLimited as error:
        Operation.objects.filter(pk=operation_id).update(state=OperationState.QUEUED, error=str(error))
        return error.retry_after
    except (GatewayError, TokenDecryptionError) as error:
        finish(operation, OperationState.FAILED, str(error))
        return None
    if remote is not None:
        operation.endpoint = apply_remote(operation.namespace, remote)
        operation.remote_state = remote.status
        # A pause or a scale-to-zero takes effect at once, and its answer shows it: done now, for a request
        # could move the endpoint on before the first check (a scaled-to-zero endpoint wakes up on the next
        # request) and the goal would never be seen. Other answers may lag the change they start (an update's
        # answer may still show the old revision running): those wait for a check.
        if operation.kind in SETTLED_BY_ANSWER and remote.status == GOAL_STATUS[operation.kind]:
            operation.save(update_fields=["endpoint"])
            finish(operation, OperationState.SUCCEEDED, "", remote.status)
            return None
    operation.state = OperationState.WAITING
    operation.deadline = now + timedelta(seconds=settings.OPERATION_TIMEOUT_SECONDS)
    operation.next_check_at = check_time(operation.started_at, 0, now, phase=check_phase(operation.pk))
    operation.error = ""
    operation.save(update_fields=["endpoint", "remote_state", "state", "deadline", "next_check_at", "error"])
    return (operation.next_check_at - now).total_seconds()


def check(operation_id: int) -> float | None:
    """Reads the endpoint once. Returns seconds until the next check, or None when finished (or not ours)."""
    now = timezone.now()
    claimed = Operation.objects.filter(
        pk=operation_id, state=OperationState.WAITING, next_check_at__lte=now + timedelta(seconds=0.5)
    ).update(next_check_at=now + _lease(), heartbeat_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    operation = Operation.objects.select_related("namespace__credential").get(pk=operation_id)
    try:
        gateway = HfGateway.for_namespace(operation.namespace)
        remote = listings.remote_state(gateway, operation.namespace, operation.endpoint_name)
    except NotFound:
        return _on_endpoint_missing(operation)
    except (NoCredential, AuthenticationFailed, TokenDecryptionError) as error:
        # Without a usable token nothing will change by waiting: say so now rather than at the deadline.
        finish(operation, OperationState.FAILED, str(error), operation.remote_state)
        return None
    except GatewayError as error:
        logger.warning("Checking %s failed: %s", operation, error)
        return _check_again(operation, now, remote_state=operation.remote_state)
    endpoint = apply_remote(operation.namespace, remote)
    if remote.status in FAILED_STATUSES:
        finish(operation, OperationState.FAILED, _failure_message(remote), remote.status)
        return None
    if _goal_reached(operation, remote, gateway, endpoint):
        finish(operation, OperationState.SUCCEEDED, "", remote.status)
        return None
    return _check_again(operation, now, remote_state=remote.status)


def _call(gateway: HfGateway, operation: Operation, *, repeated: bool) -> RemoteEndpoint | None:
    namespace, name = operation.namespace.name, operation.endpoint_name
    secrets = decrypt_secrets(operation.secrets_ciphertext)
    match operation.kind:
        case OperationKind.CREATE:
            if repeated:
                # The previous attempt may have sent the create: never send it twice.
                try:
                    return gateway.get_endpoint(namespace, name)
                except NotFound:
                    pass
            try:
                return _send_create(gateway, operation, secrets)
            except AlreadyExists:
                if not repeated:
                    raise
                return gateway.get_endpoint(namespace, name)
        case OperationKind.UPDATE:
            update = update_from_payload(operation.payload, secrets or None)
            return gateway.update_endpoint(namespace, name, update)
        case OperationKind.PAUSE:
            return gateway.pause_endpoint(namespace, name)
        case OperationKind.RESUME:
            return gateway.resume_endpoint(namespace, name)
        case OperationKind.SCALE_TO_ZERO:
            return gateway.scale_endpoint_to_zero(namespace, name)
        case OperationKind.DELETE:
            gateway.delete_endpoint(namespace, name)
            return None
    raise ValueError(f"Unknown operation kind {operation.kind!r}")


def _send_create(gateway: HfGateway, operation: Operation, secrets: dict[str, str]) -> RemoteEndpoint:
    """A create is the API's create, or the catalog's deploy of a recipe."""
    namespace, name = operation.namespace.name, operation.endpoint_name
    recipe = catalog_recipe_of(operation.payload)
    if recipe is not None:
        return gateway.deploy_from_catalog(namespace, recipe, name)
    return gateway.create_endpoint(namespace, spec_from_payload(operation.payload, secrets))


def _goal_reached(
    operation: Operation, remote: RemoteEndpoint, gateway: HfGateway, endpoint: Endpoint
) -> bool:
    if not operation.wait_for_running and operation.kind in (OperationKind.RESUME, OperationKind.UPDATE):
        # An update of a paused endpoint keeps it paused; a resume without waiting is done once it starts.
        return remote.status not in (
            TRANSITIONAL_STATUSES if operation.kind == OperationKind.UPDATE else WAKING
        )
    goal = GOAL_STATUS.get(OperationKind(operation.kind))
    if goal is None or remote.status != goal:
        return False
    if goal != EndpointStatus.RUNNING or remote.behind_private_link or not endpoint.url:
        return True  # a PrivateLink endpoint's URL is only reachable from its VPC (security_types.py)
    # "Running" means the health route answers, as InferenceEndpoint.wait() checks it.
    return gateway.check_health(endpoint.url, endpoint.health_route, remote.endpoint_type)


def _on_endpoint_missing(operation: Operation) -> None:
    endpoint = Endpoint.objects.filter(namespace=operation.namespace, name=operation.endpoint_name).first()
    if endpoint is not None:
        mark_gone(endpoint)
    if operation.kind == OperationKind.DELETE:
        finish(operation, OperationState.SUCCEEDED, "", "gone")
    else:
        finish(operation, OperationState.FAILED, "The endpoint no longer exists on Hugging Face.", "gone")


def _check_again(operation: Operation, now: datetime, *, remote_state: str) -> float | None:
    if operation.deadline is not None and now >= operation.deadline:
        minutes = settings.OPERATION_TIMEOUT_SECONDS // 60
        finish(
            operation,
            OperationState.FAILED,
            f"Gave up after {minutes} minutes: the endpoint is still {remote_state or 'not ready'}.",
            remote_state,
        )
        return None
    since = operation.started_at or now
    next_check = check_time(since, operation.attempts, now, phase=check_phase(operation.pk))
    Operation.objects.filter(pk=operation.pk).update(remote_state=remote_state, next_check_at=next_check)
    delay = (next_check - now).total_seconds()
    return delay


def _lease() -> timedelta:
    """While a check runs, others leave the operation alone this long; past it (plus the same grace) the
    reconcile task takes it back: its worker died."""
    return timedelta(seconds=settings.RECONCILE_GRACE_SECONDS)


def check_time(since: datetime, checks_made: int, now: datetime, *, phase: float = 0.0) -> datetime:
    """When to make the next check of an operation waiting since `since`, on a schedule fixed from then: the
    first within OPERATION_POLL_INITIAL_SECONDS, each gap OPERATION_POLL_FACTOR times the one before, up to
    OPERATION_POLL_MAX_SECONDS. A busy worker that checks late does not push the schedule back, it checks
    again soon.

    `phase` (0 to 1) moves each check that fraction of its gap earlier. Operations started together then
    spread their checks over each gap instead of all checking at once; since their checks share listings
    and a change wakes the operation it concerns (listings.py), a change is seen at the next of anyone's
    checks rather than up to a whole gap late.
    """
    offset, gap = 0.0, settings.OPERATION_POLL_INITIAL_SECONDS
    for _ in range(checks_made + 1):
        offset += gap
        last_gap, gap = gap, min(gap * settings.OPERATION_POLL_FACTOR, settings.OPERATION_POLL_MAX_SECONDS)
    soonest = now + timedelta(seconds=settings.OPERATION_POLL_INITIAL_SECONDS / 4)
    return max(since + timedelta(seconds=offset - phase * last_gap), soonest)


def check_phase(operation_id: int) -> float:
    """A fraction in [0, 1) per operation, spread evenly over consecutive ids (golden ratio multiples)."""
    return (operation_id * GOLDEN_RATIO_FRACTION) % 1.0


def _failure_message(remote: RemoteEndpoint) -> str:
    what = "update" if remote.status == EndpointStatus.UPDATE_FAILED else "deployment"
    return f"The {what} failed: {remote.message}" if remote.message else f"The {what} failed."
