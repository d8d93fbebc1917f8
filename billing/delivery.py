"""Sending a notification beyond the app: an email to the admins, a JSON post to the optional webhook.

A delivery that fails is logged and recorded on the notification; it never fails the caller (often the task
that just finished an operation).
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
from endpoints_app.roles import MANAGE_POLICIES, codename

logger = logging.getLogger(__name__)
SUBJECT_PREFIX = "[Endpoints console] "
RESULT_LENGTH = 200  # Notification.webhook_result


def deliver(notification: Notification) -> None:
    notification.emailed_to = send_email(notification)
    notification.webhook_result = post_webhook(notification)
    notification.save(update_fields=["emailed_to", "webhook_result"])


def admin_emails() -> list[str]:
    """Active users who manage policies (admins and superusers) and have an email address."""
    managing = codename(MANAGE_POLICIES)
    holds_permission = Q(groups__permissions__codename=managing) | Q(user_permissions__codename=managing)
    users = get_user_model().objects.filter(Q(is_superuser=True) | holds_permission, is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def send_email(notification: Notification) -> list[str]:
    recipients = admin_emails()
    if not recipients:
        return []
    try:
        send_mail(SUBJECT_PREFIX + notification.title, notification.body, None, recipients)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not email the notification %r: %s", notification.title, error)
        return []
    return recipients


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


def post_webhook(notification: Notification) -> str:
    url = settings.BILLING_WEBHOOK_URL
    if not url:
        return ""
    try:
        response = httpx2.post(
            url, json=webhook_payload(notification), timeout=settings.BILLING_WEBHOOK_TIMEOUT_SECONDS
        )
    except httpx2.HTTPError as error:
        # The error's kind only: a webhook URL carries a secret, and some errors quote it.
        logger.warning(
            "Could not post the notification %r to the webhook: %s", notification.title, type(error).__name__
        )
        return f"failed: {type(error).__name__}"[:RESULT_LENGTH]
    return f"HTTP {response.status_code}"
