"""The playground's periodic task: uploads nobody sent are deleted (services/uploads.py)."""

from celery import shared_task
from django.utils import timezone

from playground_app.services.uploads import delete_unused_uploads as delete_unused


@shared_task(name="playground_app.tasks.delete_unused_uploads")
def delete_unused_uploads() -> int:
    return delete_unused(timezone.now())
