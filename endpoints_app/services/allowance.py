"""The per-person rate limit of actions (RATE_LIMIT_ACTIONS_PER_MINUTE): a request over it is refused, and
the refusal written to the audit log."""

from dashboard import rate_limits
from endpoints_app.models import AuditEntry
from endpoints_app.services import audit
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


def require_allowance(actor: Actor, action: str, target: str) -> None:
    """People are limited per minute; policies are not, nor a request the caller already counted."""
    if actor.user is None or actor.rate_limit_counted:
        return
    if not rate_limits.allow(rate_limits.ACTIONS, actor.user.pk):
        audit.record(actor, action, target, AuditEntry.Result.REFUSED, message="rate limited")
        raise ActionRefused(rate_limits.ACTIONS.refusal())
