"""Celery tasks: thin wrappers that look an operation up by id, do one step and re-schedule if they must wait.

None of them holds a business rule (those are in services/), and none sleeps to wait for an endpoint: a task
that must look again later re-schedules itself. (The gateway's retries of a failed call pause a few seconds
at most, within the call.)
"""

import logging

from celery import shared_task

from endpoints_app.hf import GatewayError
from endpoints_app.models import Namespace, Operation
from endpoints_app.models.operations import OperationState
from endpoints_app.services import catalog, metrics_collection, runner, sync

logger = logging.getLogger(__name__)


@shared_task(name="endpoints_app.tasks.run_operation")
def run_operation(operation_id: int) -> None:
    countdown = runner.start(operation_id)
    if countdown is None:
        return
    state = Operation.objects.values_list("state", flat=True).get(pk=operation_id)
    follow_up = run_operation if state == OperationState.QUEUED else check_operation
    follow_up.apply_async((operation_id,), countdown=countdown)


@shared_task(name="endpoints_app.tasks.check_operation")
def check_operation(operation_id: int) -> None:
    countdown = runner.check(operation_id)
    if countdown is not None:
        check_operation.apply_async((operation_id,), countdown=countdown)


@shared_task(name="endpoints_app.tasks.sync_namespace")
def sync_namespace(namespace_id: int) -> dict:
    namespace = Namespace.objects.select_related("credential").get(pk=namespace_id)
    return sync.sync_namespace(namespace).__dict__


@shared_task(name="endpoints_app.tasks.sync_all_namespaces")
def sync_all_namespaces() -> int:
    """Beat: one sync task per namespace that has a credential (they run side by side)."""
    ids = list(Namespace.objects.filter(credential__isnull=False).values_list("pk", flat=True))
    for namespace_id in ids:
        sync_namespace.delay(namespace_id)
    return len(ids)


@shared_task(name="endpoints_app.tasks.refresh_namespace")
def refresh_namespace(namespace_id: int) -> dict:
    """After a credential is added: the namespace's provider list (prices), then its endpoints."""
    refresh_hardware(namespace_id)
    return sync_namespace(namespace_id)


@shared_task(name="endpoints_app.tasks.refresh_hardware")
def refresh_hardware(namespace_id: int | None = None) -> int:
    """Beat (daily), and after a credential is added: the provider list with prices and quotas."""
    namespaces = Namespace.objects.filter(credential__isnull=False).select_related("credential")
    if namespace_id is not None:
        namespaces = namespaces.filter(pk=namespace_id)
    refreshed = 0
    for namespace in namespaces:
        try:
            sync.refresh_hardware(namespace)
            refreshed += 1
        except GatewayError as error:
            logger.warning("Could not refresh the hardware of %s: %s", namespace.name, error)
    return refreshed


@shared_task(name="endpoints_app.tasks.refresh_catalog")
def refresh_catalog() -> int:
    """Beat, and on request: the Inference Catalog, kept for the catalog page."""
    try:
        return catalog.refresh_catalog()
    except GatewayError as error:
        logger.warning("Could not refresh the Inference Catalog: %s", error)
        return 0


@shared_task(name="endpoints_app.tasks.reconcile_operations")
def reconcile_operations() -> int:
    """Beat: operations that no task is looking after (their worker died, or the task queue did not answer
    when they were asked for) are handed to the workers again."""
    stale = list(Operation.objects.abandoned().values_list("pk", "state"))
    for operation_id, state in stale:
        logger.info("Picking up operation %s left %s.", operation_id, state)
        task = check_operation if state == OperationState.WAITING else run_operation
        task.delay(operation_id)
    # Handed over at last: from now on the usual grace applies, as to any operation waiting for a worker.
    Operation.objects.filter(pk__in=[pk for pk, _ in stale], queue_down_at__isnull=False).update(
        queue_down_at=None
    )
    return len(stale)


@shared_task(name="endpoints_app.tasks.collect_metrics")
def collect_metrics() -> int:
    """Beat: one collection per namespace with running endpoints, and the samples past retention deleted."""
    metrics_collection.prune_samples()
    ids = metrics_collection.namespaces_to_collect()
    for namespace_id in ids:
        collect_namespace_metrics.delay(namespace_id)
    return len(ids)


@shared_task(name="endpoints_app.tasks.collect_namespace_metrics")
def collect_namespace_metrics(namespace_id: int) -> dict:
    namespace = Namespace.objects.select_related("credential").get(pk=namespace_id)
    return metrics_collection.collect_namespace(namespace).__dict__
