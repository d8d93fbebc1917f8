"""Adding, replacing and removing the team's Hugging Face tokens."""

import logging

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from endpoints_app import roles, tasks
from endpoints_app.hf import GatewayError, HfGateway, WhoAmI
from endpoints_app.models import AuditEntry, Credential, Namespace
from endpoints_app.services import audit, queue
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused

logger = logging.getLogger(__name__)


def _require_permission(actor: Actor) -> None:
    roles.require(actor, roles.MANAGE_CREDENTIALS, "Only admins manage Hugging Face tokens.")


@sensitive_variables("token")
def _who_is(token: str) -> WhoAmI:
    """Validates the token with whoami; a refused token is an ActionRefused with the API's reason."""
    try:
        return HfGateway(token).whoami()
    except GatewayError as error:
        raise ActionRefused(f"The token was not accepted: {error}") from error


@sensitive_variables("token")
def add_credential(actor: Actor, label: str, token: str) -> Credential:
    _require_permission(actor)
    who = _who_is(token)
    with transaction.atomic():
        credential = Credential(label=label, hf_username=who.name, created_by=actor.user)
        credential.set_token(token)
        credential.reached_namespaces = list(who.namespaces)
        credential.save()
        _attach_namespaces(credential, who)
        transaction.on_commit(lambda: _refresh_namespaces_of(credential))
        audit.record(
            actor,
            "add_credential",
            label,
            AuditEntry.Result.SUCCEEDED,
            changes={"user": who.name, "namespaces": list(who.namespaces)},
        )
    return credential


@sensitive_variables("token")
def replace_token(actor: Actor, credential: Credential, token: str) -> Credential:
    _require_permission(actor)
    who = _who_is(token)
    with transaction.atomic():
        credential.set_token(token)
        credential.hf_username = who.name
        credential.reached_namespaces = list(who.namespaces)
        credential.save()
        Namespace.objects.filter(credential=credential).exclude(name__in=who.namespaces).update(
            credential=None
        )
        _attach_namespaces(credential, who)
        transaction.on_commit(lambda: _refresh_namespaces_of(credential))
        audit.record(
            actor,
            "replace_credential",
            credential.label,
            AuditEntry.Result.SUCCEEDED,
            changes={"user": who.name, "namespaces": list(who.namespaces)},
        )
    return credential


def remove_credential(actor: Actor, credential: Credential) -> None:
    """Deletes the token; its namespaces move to another credential that reaches them, if any."""
    _require_permission(actor)
    with transaction.atomic():
        namespaces = list(credential.namespaces.all())
        label = credential.label
        credential.delete()
        for namespace in namespaces:
            namespace.credential = _another_credential_for(namespace.name)
            namespace.save(update_fields=["credential"])
        audit.record(actor, "remove_credential", label, AuditEntry.Result.SUCCEEDED)


def _attach_namespaces(credential: Credential, who: WhoAmI) -> None:
    """Namespaces this token reaches are created if new; one without a credential gets this one."""
    for name in who.namespaces:
        namespace, _ = Namespace.objects.get_or_create(
            name=name, defaults={"is_organization": name in who.organizations}
        )
        if namespace.credential_id is None:
            namespace.credential = credential
            namespace.save(update_fields=["credential"])


def _another_credential_for(namespace_name: str) -> Credential | None:
    for credential in Credential.objects.all():
        if namespace_name in credential.reached_namespaces:
            return credential
    return None


def _refresh_namespaces_of(credential: Credential) -> None:
    """Fetches prices and endpoints of the credential's namespaces now rather than at the next interval."""
    for namespace_id in credential.namespaces.values_list("pk", flat=True):
        try:
            queue.send(tasks.refresh_namespace, namespace_id)
        except ActionRefused:
            logger.warning(
                "The task queue is down; namespace %s will sync at the next interval.", namespace_id
            )
