"""The business actions on endpoints: each checks permission and state, records an Operation and an audit
entry, and hands the work to a Celery task once they are committed (see runner.py for what the task does)."""

import re
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.timesince import timesince

from endpoints_app import roles, tasks
from endpoints_app.hf.remote import EndpointSpec, EndpointUpdate
from endpoints_app.models import (
    AuditEntry,
    CatalogRecipe,
    Endpoint,
    EndpointStatus,
    Namespace,
    Operation,
    OperationKind,
)
from endpoints_app.models.operations import ACTIVE_STATES
from endpoints_app.services import audit, queue
from endpoints_app.services.actors import Actor
from endpoints_app.services.allowance import require_allowance
from endpoints_app.services.errors import ActionRefused, OperationInProgress
from endpoints_app.services.payloads import (
    catalog_payload,
    encrypt_secrets,
    spec_to_payload,
    update_to_payload,
)

SERVING_OR_STARTING = frozenset(
    {EndpointStatus.RUNNING, EndpointStatus.PENDING, EndpointStatus.INITIALIZING, EndpointStatus.UPDATING}
)
# The service's rule: 4 to 32 characters, lowercase letters, digits and hyphens, not starting or ending with
# a hyphen (the name becomes part of a host name).
ENDPOINT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{2,30}[a-z0-9]$")
NAME_RULE = (
    "4 to 32 characters: lowercase letters, digits and hyphens, starting and ending with a letter or a digit."
)


class EndpointExists(ActionRefused):
    """The name is taken in the namespace; `endpoint` is the existing one (it can be resumed instead)."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(f"An endpoint named {endpoint.name} already exists in {endpoint.namespace.name}.")
        self.endpoint = endpoint


def create_endpoint(actor: Actor, namespace: Namespace, spec: EndpointSpec) -> Operation:
    _require(actor, roles.OPERATE, "create endpoints")
    _require_new_name(namespace, spec.name)
    return _request(
        actor,
        OperationKind.CREATE,
        namespace,
        spec.name,
        payload=spec_to_payload(spec),
        secrets=spec.secrets,
        wait_for_running=True,
    )


def deploy_from_catalog(actor: Actor, namespace: Namespace, recipe: CatalogRecipe, name: str) -> Operation:
    """A catalog recipe deployed as `name`: a create (the same operation, waited for and reconciled alike)
    whose call is the catalog's deploy."""
    _require(actor, roles.OPERATE, "create endpoints")
    _require_new_name(namespace, name)
    return _request(
        actor,
        OperationKind.CREATE,
        namespace,
        name,
        payload=catalog_payload(recipe, name),
        wait_for_running=True,
    )


def update_endpoint(actor: Actor, endpoint: Endpoint, update: EndpointUpdate) -> Operation:
    _require(actor, roles.OPERATE, "update endpoints")
    _require_present(endpoint)
    if update.is_empty():
        raise ActionRefused("Nothing to change: the form has the endpoint's current settings.")
    return _request(
        actor,
        OperationKind.UPDATE,
        endpoint.namespace,
        endpoint.name,
        endpoint=endpoint,
        payload=update_to_payload(update),
        secrets=update.secrets or {},
        # A paused or scaled-to-zero endpoint stays so after an update: wait only for one that serves.
        wait_for_running=endpoint.status in SERVING_OR_STARTING,
    )


def pause_endpoint(actor: Actor, endpoint: Endpoint) -> Operation:
    _require(actor, roles.OPERATE, "pause endpoints")
    _require_present(endpoint)
    if endpoint.status == EndpointStatus.PAUSED:
        raise ActionRefused(f"{endpoint.name} is already paused.")
    return _request(actor, OperationKind.PAUSE, endpoint.namespace, endpoint.name, endpoint=endpoint)


def resume_endpoint(actor: Actor, endpoint: Endpoint, *, wait: bool = True) -> Operation:
    _require(actor, roles.OPERATE, "resume endpoints")
    _require_present(endpoint)
    if endpoint.status == EndpointStatus.RUNNING:
        raise ActionRefused(f"{endpoint.name} is already running.")
    return _request(
        actor,
        OperationKind.RESUME,
        endpoint.namespace,
        endpoint.name,
        endpoint=endpoint,
        wait_for_running=wait,
    )


def scale_endpoint_to_zero(actor: Actor, endpoint: Endpoint) -> Operation:
    _require(actor, roles.OPERATE, "scale endpoints to zero")
    _require_present(endpoint)
    if endpoint.status == EndpointStatus.SCALED_TO_ZERO:
        raise ActionRefused(f"{endpoint.name} is already scaled to zero.")
    return _request(actor, OperationKind.SCALE_TO_ZERO, endpoint.namespace, endpoint.name, endpoint=endpoint)


def delete_endpoint(actor: Actor, endpoint: Endpoint, *, typed_name: str) -> Operation:
    _require(actor, roles.REMOVE, "delete endpoints")
    _require_present(endpoint)
    if typed_name.strip() != endpoint.name:
        raise ActionRefused(f"Type the endpoint's name, {endpoint.name}, to confirm the deletion.")
    return _request(actor, OperationKind.DELETE, endpoint.namespace, endpoint.name, endpoint=endpoint)


def active_operation(namespace: Namespace, endpoint_name: str) -> Operation | None:
    return (
        Operation.objects.filter(namespace=namespace, endpoint_name=endpoint_name, state__in=ACTIVE_STATES)
        .select_related("requested_by")
        .first()
    )


def _require(actor: Actor, permission: str, what: str) -> None:
    roles.require(actor, permission, f"Your role does not allow you to {what}.")


def _require_new_name(namespace: Namespace, name: str) -> None:
    if not ENDPOINT_NAME.match(name):
        raise ActionRefused(f"{name!r} is not a valid endpoint name: {NAME_RULE}")
    existing = Endpoint.objects.filter(namespace=namespace, name=name, is_gone=False).first()
    if existing is not None:
        raise EndpointExists(existing)


def _require_present(endpoint: Endpoint) -> None:
    if endpoint.is_gone:
        raise ActionRefused(f"{endpoint.name} no longer exists on Hugging Face.")


def _request(
    actor: Actor,
    kind: OperationKind,
    namespace: Namespace,
    endpoint_name: str,
    *,
    endpoint: Endpoint | None = None,
    payload: dict[str, Any] | None = None,
    secrets: dict[str, str] | None = None,
    wait_for_running: bool = False,
) -> Operation:
    target = f"{namespace.name}/{endpoint_name}"
    require_allowance(actor, kind, target)
    try:
        with transaction.atomic():
            operation = Operation.objects.create(
                kind=kind,
                namespace=namespace,
                endpoint_name=endpoint_name,
                endpoint=endpoint,
                requested_by=actor.user,
                requested_from=actor.ip_address,
                automatic_reason=actor.automatic_reason,
                payload=payload or {},
                secrets_ciphertext=encrypt_secrets(secrets or {}),
                wait_for_running=wait_for_running,
            )
            audit.record(
                actor, kind, target, AuditEntry.Result.REQUESTED, changes=payload or {}, operation=operation
            )
            transaction.on_commit(partial(_hand_over, operation))
    except IntegrityError:
        refusal = _in_progress_message(namespace, endpoint_name)
        audit.record(actor, kind, target, AuditEntry.Result.REFUSED, message=refusal)
        raise OperationInProgress(refusal) from None
    return operation


def _hand_over(operation: Operation) -> None:
    """Sends the operation to the workers. While the task queue does not answer, the operation stays queued
    (recorded, and marked so); reconcile sends it once Redis is back, and the runner's claim keeps a second
    delivery from calling twice."""
    try:
        queue.send(tasks.run_operation, operation.pk)
    except ActionRefused:
        operation.queue_down_at = timezone.now()
        Operation.objects.filter(pk=operation.pk).update(queue_down_at=operation.queue_down_at)


def _in_progress_message(namespace: Namespace, endpoint_name: str) -> str:
    running = active_operation(namespace, endpoint_name)
    if running is None:  # it finished between our insert and this read
        return f"An operation on {endpoint_name} was already in progress. Try again."
    return (
        f"An operation is already in progress on {endpoint_name}: {running.get_kind_display().lower()} "
        f"by {running.actor_label}, {timesince(running.created_at)} ago. Wait for it to finish."
    )
