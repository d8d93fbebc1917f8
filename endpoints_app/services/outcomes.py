"""How an operation ends, whichever step ends it: its final state saved (its secrets erased), the closing
audit entry, and `operation_finished` sent (billing's notifications listen to it)."""

from django.utils import timezone

from endpoints_app.models import Operation
from endpoints_app.models.operations import OperationState
from endpoints_app.services import audit
from endpoints_app.signals import operation_finished


def finish(operation: Operation, state: OperationState, error: str, remote_state: str | None = None) -> None:
    operation.state = state
    operation.error = error
    operation.finished_at = timezone.now()
    operation.secrets_ciphertext = None
    if remote_state is not None:
        operation.remote_state = remote_state
    operation.save(update_fields=["state", "error", "finished_at", "secrets_ciphertext", "remote_state"])
    audit.record_operation_outcome(operation)
    operation_finished.send(sender=Operation, operation=operation)
