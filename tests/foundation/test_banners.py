"""Site-wide banners for a degraded Hugging Face API and a task queue that is down."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from endpoints_app.models import ApiHealth

pytestmark = pytest.mark.django_db


def test_no_banner_when_all_is_well(admin_client: Client, redis_client) -> None:
    assert b'class="banner' not in admin_client.get(reverse("overview")).content


def test_repeated_api_failures_show_the_degraded_banner(admin_client: Client, redis_client) -> None:
    ApiHealth.objects.create(
        pk=1, consecutive_failures=3, last_failure_at=timezone.now(), last_error="HTTP 503"
    )
    assert b"The Hugging Face API is degraded" in admin_client.get(reverse("overview")).content


def test_an_old_failure_streak_no_longer_counts(admin_client: Client, redis_client) -> None:
    long_ago = timezone.now() - timezone.timedelta(hours=2)
    ApiHealth.objects.create(pk=1, consecutive_failures=9, last_failure_at=long_ago)
    assert b"degraded" not in admin_client.get(reverse("overview")).content


def test_redis_down_shows_the_queue_banner_and_the_page_still_renders(admin_client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = admin_client.get(reverse("overview"))
    assert response.status_code == 200
    assert b"The task queue (Redis) is not answering" in response.content
