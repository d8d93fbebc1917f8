"""Uploads are bounded: a per-user rate limit like sends, a pixel limit read from the header before
decoding, and the uploads no message uses deleted after PLAYGROUND_UPLOAD_UNUSED_HOURS."""

from datetime import timedelta

from django.utils import timezone

from playground_app import tasks
from playground_app.models import Conversation, Message, Upload
from tests.playground.test_hostile_images import png_declaring
from tests.playground.test_multimodal import photo, upload


def test_uploads_over_the_rate_limit_are_refused(otto, settings, redis_client) -> None:
    settings.RATE_LIMIT_UPLOADS_PER_MINUTE = 2
    redis_client.flushdb()
    assert [upload(otto, photo()).status_code for _ in range(2)] == [201, 201]

    refused = upload(otto, photo())
    assert refused.status_code == 429
    assert refused.json() == {
        "message": "Too many uploads in a minute (at most 2). Wait a moment and try again."
    }
    assert Upload.objects.count() == 2


def test_an_image_with_too_many_pixels_is_refused_before_decoding(otto, redis_client) -> None:
    """A PNG of a few dozen bytes declaring 5000 x 5000 pixels: decoding it would take 75 MB."""
    response = upload(otto, png_declaring(5000, 5000), name="huge.png")
    assert response.status_code == 400
    assert response.json() == {"message": "The image has too many pixels (5000 x 5000; at most 16,777,216)."}
    assert not Upload.objects.exists()


def test_uploads_no_message_uses_are_deleted_after_a_while(otto, team, settings, redis_client) -> None:
    settings.PLAYGROUND_UPLOAD_UNUSED_HOURS = 24
    sent, forgotten, recent = (Upload.objects.get(pk=upload(otto, photo()).json()["id"]) for _ in range(3))
    conversation = Conversation.objects.create(author=team.operator, title="About a photo")
    Message.objects.create(
        conversation=conversation, position=1, role="user", content="What is this?", image=sent
    )
    day_ago = timezone.now() - timedelta(hours=25)
    Upload.objects.filter(pk__in=[sent.pk, forgotten.pk]).update(created_at=day_ago)

    assert tasks.delete_unused_uploads() == 1

    assert set(Upload.objects.values_list("pk", flat=True)) == {sent.pk, recent.pk}
    assert not forgotten.file.storage.exists(forgotten.file.name)
    assert sent.file.storage.exists(sent.file.name)
