"""Celery tasks of billing: the beat's policy enforcement, and the delivery of notifications (an email and a
webhook post, each its own task: a mail server or webhook that times out holds no status check, and one
that fails is tried again with exponential backoff and jitter, up to about a quarter of an hour)."""

from celery import shared_task

from billing import delivery, enforcement, metrics
from billing.delivery import DeliveryFailed
from billing.models import Notification

# Backoffs stay under the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT): a task held longer by a
# worker would be delivered twice.
DELIVERY_RETRIES = {
    "autoretry_for": (DeliveryFailed,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(name="billing.tasks.enforce_policies")
def enforce_policies() -> dict[str, int]:
    """Beat: read the endpoints' request counts, then enforce the enabled policies."""
    used = metrics.collect_activity()
    results = enforcement.enforce_all()
    return {
        "endpoints_used": used,
        "policies": len(results),
        "operations": sum(len(result.requested) for result in results),
        "alerts": sum(len(result.alerted) for result in results),
    }


@shared_task(name="billing.tasks.email_notification", **DELIVERY_RETRIES)
def email_notification(notification_id: int) -> None:
    if not delivery.email_recipients(Notification.objects.get(pk=notification_id)):
        raise DeliveryFailed(f"notification {notification_id}: the mail server failed")


@shared_task(name="billing.tasks.post_notification_to_webhook", **DELIVERY_RETRIES)
def post_notification_to_webhook(notification_id: int) -> None:
    notification = Notification.objects.select_related("endpoint__namespace", "policy").get(
        pk=notification_id
    )
    if not delivery.post_to_webhook(notification):
        raise DeliveryFailed(f"notification {notification_id}: the webhook did not take it")
