"""Asking for a namespace's endpoints or provider list, or the Inference Catalog, to be fetched now rather
than at the next interval: the Namespaces and Catalog pages' buttons, and the create form and the catalog
page when they have nothing to offer yet. Operators only; each request is rate-limited and audited like any
action."""

from collections.abc import Callable

from celery import Task
from django.core.cache import cache

from endpoints_app import roles, tasks
from endpoints_app.models import AuditEntry, Namespace
from endpoints_app.services import audit, queue
from endpoints_app.services.actors import Actor
from endpoints_app.services.allowance import require_allowance
from endpoints_app.services.errors import ActionRefused

# At most one fetch of what a page misses (a namespace's provider list, the catalog) in this window, however
# many ask.
MISSING_COOLDOWN_SECONDS = 30
CATALOG = "the Inference Catalog"  # the audit log's target of a catalog refresh


def request_sync(actor: Actor, namespace: Namespace) -> None:
    """Lists the namespace's endpoints now."""
    _request(actor, "sync_namespace", namespace.name, tasks.sync_namespace, namespace.pk)


def request_hardware(actor: Actor, namespace: Namespace) -> None:
    """Fetches the namespace's provider list (prices, quotas) now."""
    _request(actor, "refresh_hardware", namespace.name, tasks.refresh_hardware, namespace.pk)


def request_catalog(actor: Actor) -> None:
    """Fetches the Inference Catalog now."""
    _request(actor, "refresh_catalog", CATALOG, tasks.refresh_catalog)


def request_missing_hardware(actor: Actor, namespace: Namespace) -> None:
    """The create form has no provider list for the namespace: one is fetched (the picker polls until it is
    there)."""
    _request_once(f"hardware-refresh-requested:{namespace.pk}", lambda: request_hardware(actor, namespace))


def request_missing_catalog(actor: Actor) -> None:
    """The catalog page has no catalog yet: it is fetched (the page polls until it is there)."""
    _request_once("catalog-refresh-requested", lambda: request_catalog(actor))


def _request_once(key: str, request: Callable[[], None]) -> None:
    """A refusal is not the page's business: its next poll asks again."""
    if not cache.add(key, True, MISSING_COOLDOWN_SECONDS):
        return
    try:
        request()
    except ActionRefused:
        cache.delete(key)


def _request(actor: Actor, action: str, target: str, task: Task, *args: object) -> None:
    roles.require(actor, roles.OPERATE, "Your role does not allow you to refresh what the console fetches.")
    require_allowance(actor, action, target)
    try:
        queue.send_on_commit(task, *args)
    except ActionRefused as refusal:
        audit.record(actor, action, target, AuditEntry.Result.REFUSED, message=str(refusal))
        raise
    audit.record(actor, action, target, AuditEntry.Result.REQUESTED)
