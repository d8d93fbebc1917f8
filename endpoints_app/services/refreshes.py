"""Asking for a namespace's endpoints or provider list to be fetched now rather than at the next interval:
the Namespaces page's buttons, and the create form when it has no hardware to offer. Operators only; each
request is rate-limited and audited like any action."""

from celery import Task
from django.core.cache import cache

from endpoints_app import roles, tasks
from endpoints_app.models import AuditEntry, Namespace
from endpoints_app.services import audit, queue
from endpoints_app.services.actors import Actor
from endpoints_app.services.allowance import require_allowance
from endpoints_app.services.errors import ActionRefused

# At most one provider-list fetch per namespace in this window for forms that miss it, however many ask.
MISSING_HARDWARE_COOLDOWN_SECONDS = 30


def request_sync(actor: Actor, namespace: Namespace) -> None:
    """Lists the namespace's endpoints now."""
    _request(actor, "sync_namespace", namespace, tasks.sync_namespace)


def request_hardware(actor: Actor, namespace: Namespace) -> None:
    """Fetches the namespace's provider list (prices, quotas) now."""
    _request(actor, "refresh_hardware", namespace, tasks.refresh_hardware)


def request_missing_hardware(actor: Actor, namespace: Namespace) -> None:
    """The create form has no provider list for the namespace: one is fetched (the picker polls until it is
    there). A refusal is not the form's business: the picker's next poll asks again."""
    key = f"hardware-refresh-requested:{namespace.pk}"
    if not cache.add(key, True, MISSING_HARDWARE_COOLDOWN_SECONDS):
        return
    try:
        request_hardware(actor, namespace)
    except ActionRefused:
        cache.delete(key)


def _request(actor: Actor, action: str, namespace: Namespace, task: Task) -> None:
    roles.require(actor, roles.OPERATE, "Your role does not allow you to refresh namespaces.")
    require_allowance(actor, action, namespace.name)
    try:
        queue.send_on_commit(task, namespace.pk)
    except ActionRefused as refusal:
        audit.record(actor, action, namespace.name, AuditEntry.Result.REFUSED, message=str(refusal))
        raise
    audit.record(actor, action, namespace.name, AuditEntry.Result.REQUESTED)
