"""An endpoint that fails (or whose update fails) is a notification like an automatic action's, emailed to the
operators too: they are the people who can look at it and redeploy. Roles hold for every namespace, so the
operators of the endpoint's namespace are the team's operators."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from billing import notifications
from billing.models import Notification
from endpoints_app.models import EndpointStatus, StatusEvent

FAILED_TITLES = {
    EndpointStatus.FAILED: "{} failed",
    EndpointStatus.UPDATE_FAILED: "{}: the update failed",
}


def on_status_event(sender: type, instance: StatusEvent, created: bool, **kwargs: Any) -> None:
    """Receiver of StatusEvent's post_save: a new failed or update-failed status is notified once."""
    title = FAILED_TITLES.get(instance.to_status)
    if not created or title is None or instance.from_status == instance.to_status:
        return
    endpoint = instance.endpoint
    link = settings.CONSOLE_URL + reverse("endpoints:detail", args=[endpoint.pk])
    said = f"The service says: {instance.message}. " if instance.message else ""
    notifications.notify(
        kind=Notification.Kind.ENDPOINT_FAILED,
        level=Notification.Level.ERROR,
        title=title.format(endpoint.full_name),
        body=f"{said}It was {instance.from_status or 'new'} before. Open it: {link}",
        endpoint=endpoint,
    )
