"""Writing the audit log."""

from typing import Any

from endpoints_app.models import AuditEntry, Operation
from endpoints_app.services.actors import Actor


def record(
    actor: Actor,
    action: str,
    target: str,
    result: AuditEntry.Result,
    *,
    changes: dict[str, Any] | None = None,
    message: str = "",
    operation: Operation | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        ip_address=actor.ip_address,
        action=action,
        target=target,
        changes=changes or {},
        result=result,
        message=message,
        operation=operation,
    )


def record_operation_outcome(operation: Operation) -> AuditEntry:
    """The closing entry of an operation (succeeded or failed), under the actor that asked for it."""
    actor = Actor(operation.requested_by, operation.requested_from, operation.automatic_reason)
    result = AuditEntry.Result.SUCCEEDED if operation.state == "succeeded" else AuditEntry.Result.FAILED
    return record(
        actor,
        operation.kind,
        f"{operation.namespace.name}/{operation.endpoint_name}",
        result,
        message=operation.error,
        operation=operation,
    )
