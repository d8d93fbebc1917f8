"""The web shell: login everywhere, the base layout, friendly error pages, CSRF."""

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login() -> None:
    response = Client().get(reverse("overview"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_with_the_form_reaches_the_overview() -> None:
    User.objects.create_user("alice", password="correct horse")
    client = Client()
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("overview")
    assert b"<h1>Overview</h1>" in response.content


def test_wrong_password_shows_an_error_and_keeps_the_username() -> None:
    User.objects.create_user("alice", password="correct horse")
    response = Client().post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="alice"' in response.content


def test_logout_needs_a_post_with_csrf_token(admin_client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="admin"))
    assert strict.post(reverse("logout")).status_code == 403
    assert b"This form has expired" in strict.post(reverse("logout")).content


def test_pages_send_the_csrf_token_with_every_htmx_request(admin_client: Client) -> None:
    page = admin_client.get(reverse("overview")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "/static/django_htmx/htmx-2.min.js" in page


def test_navigation_marks_the_current_page(admin_client: Client) -> None:
    page = admin_client.get(reverse("overview")).content.decode()
    assert '<a href="/" aria-current="page">Overview</a>' in page
    assert '<a href="/admin/">Admin</a>' in page


def test_admin_link_is_hidden_from_non_staff(client: Client) -> None:
    client.force_login(User.objects.create_user("bob", password="pw-for-bob-123"))
    assert b">Admin</a>" not in client.get(reverse("overview")).content


def test_messages_are_shown_as_dismissable_notices() -> None:
    html = render_to_string(
        "partials/messages.html", {"messages": [Message(message_levels.SUCCESS, "Endpoint paused.")]}
    )
    assert 'class="notice notice-success"' in html
    assert "Endpoint paused." in html
    assert "data-dismiss" in html


def test_unknown_page_gets_the_friendly_404(admin_client: Client) -> None:
    response = admin_client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Nothing here" in response.content


def test_every_response_carries_a_strict_content_security_policy(admin_client: Client) -> None:
    policy = admin_client.get(reverse("overview"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_login_is_throttled_after_repeated_failures() -> None:
    User.objects.create_user("alice", password="correct horse")
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse"})
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content


def test_failures_for_one_username_from_many_addresses_lock_it() -> None:
    User.objects.create_user("alice", password="correct horse")
    for address in range(1, 6):
        Client(REMOTE_ADDR=f"10.0.0.{address}").post(reverse("login"), {"username": "alice", "password": "x"})
    fresh_address = Client(REMOTE_ADDR="10.0.0.99")
    response = fresh_address.post(reverse("login"), {"username": "alice", "password": "correct horse"})
    assert response.status_code == 429


def test_failures_from_one_address_over_many_usernames_lock_the_address() -> None:
    User.objects.create_user("alice", password="correct horse")
    sprayer = Client(REMOTE_ADDR="10.0.0.7")
    for number in range(5):
        sprayer.post(reverse("login"), {"username": f"user{number}", "password": "Summer2026!"})
    response = sprayer.post(reverse("login"), {"username": "alice", "password": "correct horse"})
    assert response.status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.8")
    assert (
        elsewhere.post(reverse("login"), {"username": "alice", "password": "correct horse"}).status_code
        == 302
    )
