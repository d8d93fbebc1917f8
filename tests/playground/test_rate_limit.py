"""Per-user rate limit on playground sends (chat and images): a refusal keeps what was typed."""

from django.urls import reverse

from playground_app.models import GeneratedImage, Message
from tests.playground.fixtures import GEMMA
from tests.playground.sse import events_of, last
from tests.playground.test_images import generate
from tests.playground.test_query_modes import TUTORIAL_FORM


def test_a_chat_send_over_the_limit_is_refused_with_a_reason(deploy, otto, settings, redis_client) -> None:
    settings.RATE_LIMIT_PLAYGROUND_PER_MINUTE = 1
    redis_client.flushdb()
    endpoint = deploy("gemma-chat", GEMMA)
    form = {**TUTORIAL_FORM, "endpoint": endpoint.pk, "mode": "raw", "max_new_tokens": "5"}
    assert last(events_of(otto.post(reverse("playground:answer"), form)), "done")

    second = otto.post(reverse("playground:answer"), form)

    assert second.status_code == 429
    assert "Too many playground requests in a minute" in second.json()["message"]
    assert Message.objects.filter(role="user").count() == 1  # the refused question was not recorded


def test_an_image_request_over_the_limit_keeps_the_form(deploy, otto, settings, redis_client) -> None:
    settings.RATE_LIMIT_PLAYGROUND_PER_MINUTE = 0
    redis_client.flushdb()
    endpoint = deploy("sdxl-art", "stabilityai/stable-diffusion-xl-base-1.0")
    page = generate(otto, endpoint, prompt="a red fox in the snow")
    assert b"Too many playground requests in a minute" in page.content
    assert b"a red fox in the snow" in page.content
    assert not GeneratedImage.objects.exists()
