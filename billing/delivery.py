"""Sending a notification beyond the app: an email to the admins (and the operators, for a failed endpoint),
a JSON post to the optional webhook.

Each is done by its own Celery task (billing/tasks.py), retried with backoff while the mail server or the
webhook does not answer; the functions here make one attempt, record its outcome on the notification and say
whether it went through.
"""

import logging
import smtplib
from typing import Any

import httpx2
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from billing.models import Notification
from endpoints_app.roles import MANAGE_POLICIES, OPERATE, codename

logger = logging.getLogger(__name__)
SUBJECT_PREFIX = "[Endpoints console] "
RESULT_LENGTH = 200  # Notification.webhook_result


class DeliveryFailed(Exception):
    """The mail server or the webhook did not take the notification; a later attempt may."""


def admin_emails() -> list[str]:
    """Active users who manage policies (admins and superusers) and have an email address."""
    return _emails_of_holders(MANAGE_POLICIES)


def _emails_of_holders(permission: str) -> list[str]:
    held = codename(permission)
    holds_permission = Q(groups__permissions__codename=held) | Q(user_permissions__codename=held)
    users = get_user_model().objects.filter(Q(is_superuser=True) | holds_permission, is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def operator_emails() -> list[str]:
    """Active users who may operate endpoints (operators, admins, superusers) and have an email address."""
    return _emails_of_holders(OPERATE)


def recipients_of(notification: Notification) -> list[str]:
    """The admins; for a failed endpoint, its operators too."""
    if notification.kind == Notification.Kind.ENDPOINT_FAILED:
        return operator_emails()
    return admin_emails()


def email_recipients(notification: Notification) -> bool:
    """Emails the notification to its recipients and records to whom; False when the mail server failed."""
    recipients = recipients_of(notification)
    if not recipients:
        return True
    try:
        send_mail(SUBJECT_PREFIX + notification.title, notification.body, None, recipients)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not email the notification %r: %s", notification.title, error)
        return False
    Notification.objects.filter(pk=notification.pk).update(emailed_to=recipients)
    return True


def webhook_payload(notification: Notification) -> dict[str, Any]:
    """`text` is what chat tools (Slack, Mattermost, Rocket.Chat, Teams' incoming webhooks) display; the other
    keys are for programs."""
    return {
        "text": f"{notification.title}\n{notification.body}",
        "title": notification.title,
        "body": notification.body,
        "kind": notification.kind,
        "level": notification.level,
        "endpoint": notification.endpoint.full_name if notification.endpoint else None,
        "policy": notification.policy.name if notification.policy else None,
        "at": notification.created_at.isoformat(),
    }


def post_to_webhook(notification: Notification) -> bool:
    """Posts the notification to BILLING_WEBHOOK_URL, if set, and records the answer ("HTTP 200", or
    "failed: ConnectError"); False when it did not answer, or answered 429 or 5xx."""
    url = settings.BILLING_WEBHOOK_URL
    if not url:
        return True
    try:
        response = httpx2.post(
            url, json=webhook_payload(notification), timeout=settings.BILLING_WEBHOOK_TIMEOUT_SECONDS
        )
    except httpx2.HTTPError as error:
        # The error's kind only: a webhook URL carries a secret, and some errors quote it.
        logger.warning(
            "Could not post the notification %r to the webhook: %s", notification.title, type(error).__name__
        )
        _record_webhook_result(notification, f"failed: {type(error).__name__}")
        return False
    _record_webhook_result(notification, f"HTTP {response.status_code}")
    return response.status_code != 429 and response.status_code < 500


def _record_webhook_result(notification: Notification, result: str) -> None:
    notification.webhook_result = result[:RESULT_LENGTH]
    Notification.objects.filter(pk=notification.pk).update(webhook_result=notification.webhook_result)
