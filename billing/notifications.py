"""Notifications of automatic actions and budget alerts: in the app (the bell), by email to the admins, and
to the optional webhook (both sent out by tasks of their own, once the notification is committed)."""

import logging
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction

from billing import tasks
from billing.costs import price_of, running_burn
from billing.models import Notification, Policy, PolicyAction
from billing.policies.plan import BudgetStatus
from billing.timeline import billed_replicas_at
from endpoints_app.models import Operation, OperationKind, OperationState
from endpoints_app.services import queue
from endpoints_app.services.errors import ActionRefused

logger = logging.getLogger(__name__)

# (done, to do) for each kind a policy asks for.
VERBS = {
    OperationKind.PAUSE: ("Paused", "pause"),
    OperationKind.RESUME: ("Resumed", "resume"),
    OperationKind.SCALE_TO_ZERO: ("Scaled to zero", "scale to zero"),
}


def notify(**fields: Any) -> Notification:
    notification = Notification.objects.create(**fields)
    transaction.on_commit(partial(_send_out, notification.pk))
    return notification


def _send_out(notification_id: int) -> None:
    """Hands the email and the webhook post to the workers. The queue being down is no reason to fail the
    caller (often the task that just finished an operation): the notification is in the app already."""
    delivering = [tasks.email_notification]
    if settings.BILLING_WEBHOOK_URL:
        delivering.append(tasks.post_notification_to_webhook)
    for task in delivering:
        try:
            queue.send(task, notification_id)
        except ActionRefused:
            logger.warning("Notification %s is in the app only: the task queue is down.", notification_id)


def on_operation_finished(sender: type, operation: Operation, **kwargs: Any) -> None:
    """Receiver of `operation_finished`: every automatic operation ends with a notification."""
    if not operation.automatic_reason or operation.endpoint_id is None:
        return
    endpoint = operation.endpoint
    done, to_do = VERBS.get(
        operation.kind, (operation.get_kind_display(), operation.get_kind_display().lower())
    )
    policy_action = PolicyAction.objects.filter(operation=operation).select_related("policy").first()
    common = {
        "endpoint": endpoint,
        "operation": operation,
        "policy": policy_action.policy if policy_action else None,
    }
    if operation.state == OperationState.SUCCEEDED:
        notify(
            kind=Notification.Kind.ACTION_SUCCEEDED,
            level=Notification.Level.INFO,
            title=f"{done} {endpoint.full_name}",
            body=f"{operation.automatic_reason}. {_effect(operation)}",
            **common,
        )
    else:
        notify(
            kind=Notification.Kind.ACTION_FAILED,
            level=Notification.Level.ERROR,
            title=f"Could not {to_do} {endpoint.full_name}",
            body=f"{operation.automatic_reason}. {operation.error}",
            **common,
        )


def _effect(operation: Operation) -> str:
    endpoint = operation.endpoint
    if operation.kind == OperationKind.RESUME:
        return f"It costs ${running_burn(endpoint):,.2f} per hour while it runs."
    saving: Decimal = price_of(endpoint) * billed_replicas_at(endpoint, operation.created_at)
    return f"Saves ${saving:,.2f} per hour."


def budget_alert(policy: Policy, status: BudgetStatus, threshold: int) -> Notification:
    pausing = (
        " Its endpoints are being paused." if policy.pause_at_limit and status.spent >= status.budget else ""
    )
    return notify(
        kind=Notification.Kind.BUDGET_ALERT,
        level=Notification.Level.ERROR if threshold >= 100 else Notification.Level.WARNING,
        title=f"Budget {policy.name}: {threshold}% reached",
        body=(
            f"Spent ${status.spent:,.2f} of ${status.budget:,.2f} in {status.month:%B %Y} "
            f"({status.percent}%). At the current burn rate the month ends at "
            f"${status.projected:,.2f}.{pausing}"
        ),
        policy=policy,
    )
