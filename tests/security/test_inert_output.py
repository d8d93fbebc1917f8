"""Text that people type or that the API returns is shown as text on every page that shows it: a script tag,
an event handler, a `javascript:` link or an SVG payload stays inert. (Model answers are rendered by
playground_app.rendering; tests/playground/test_rendering.py covers them.)

Each page is checked twice: nothing on it would run, and the hostile text is really there, escaped (so the
page is one that shows it)."""

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.security.active_content import active_content
from tests.security.hostile_rows import PAYLOAD, VECTORS, Hostile, make_hostile_rows
from tests.security.rows import make_people

pytestmark = pytest.mark.django_db

Page = Callable[[Hostile], tuple[str, tuple[str, ...]]]


# A search that finds nothing says what was searched for.
UNMATCHED = f"{PAYLOAD} (matches nothing)"


def searched(url_name: str, *fields: str, text: str = PAYLOAD) -> str:
    return f"{reverse(url_name)}?{urlencode(dict.fromkeys(fields, text))}"


# The page, and the texts it must show escaped.
PAGES: dict[str, Page] = {
    "endpoint list (tag filter)": lambda h: (reverse("endpoints:list"), VECTORS),
    "endpoint search": lambda h: (searched("endpoints:list", "q"), (PAYLOAD,)),
    "endpoint page": lambda h: (reverse("endpoints:detail", args=[h.endpoint.pk]), (*VECTORS, PAYLOAD)),
    "endpoint edit form": lambda h: (reverse("endpoints:update", args=[h.endpoint.pk]), VECTORS),
    "endpoint clone form": lambda h: (reverse("endpoints:clone", args=[h.endpoint.pk]), (*VECTORS, PAYLOAD)),
    "suggested name": lambda h: (searched("endpoints:suggest_name", "repository", "name"), (PAYLOAD,)),
    "credentials": lambda h: (reverse("endpoints:credentials"), VECTORS),
    "replace a token": lambda h: (
        reverse("endpoints:replace_credential", args=[h.credential.pk]),
        VECTORS[:1],
    ),
    "namespaces": lambda h: (reverse("endpoints:namespaces"), VECTORS[:1]),
    "audit log": lambda h: (reverse("endpoints:audit"), (*VECTORS, PAYLOAD)),
    "audit search": lambda h: (searched("endpoints:audit", "actor", "target"), (PAYLOAD,)),
    "playground history": lambda h: (reverse("playground:chat"), VECTORS),
    "playground search": lambda h: (searched("playground:chat", "q"), (PAYLOAD,)),
    "history search (htmx)": lambda h: (searched("playground:history", "q", text=UNMATCHED), (UNMATCHED,)),
    "conversation": lambda h: (h.conversation.get_absolute_url(), (VECTORS[0], PAYLOAD)),
    "image form, reused settings": lambda h: (
        f"{reverse('playground:images')}?reuse={h.image.pk}",
        VECTORS[:1],
    ),
    "gallery": lambda h: (reverse("playground:gallery"), VECTORS),
    "image": lambda h: (h.image.get_absolute_url(), (VECTORS[0], PAYLOAD)),
    "policies": lambda h: (reverse("billing:policies"), VECTORS),
    "policy form": lambda h: (reverse("billing:policy_edit", args=[h.policy.pk]), VECTORS),
    "policy dry run": lambda h: (reverse("billing:policy_dry_run", args=[h.policy.pk]), VECTORS[:1]),
    "every policy's dry run": lambda h: (reverse("billing:dry_run_all"), VECTORS),
    "keep running marks": lambda h: (reverse("billing:exclusions"), (PAYLOAD,)),
    "notifications": lambda h: (reverse("billing:notifications"), VECTORS),
    "costs of a month typed in the address": lambda h: (searched("billing:costs", "month"), (PAYLOAD,)),
    "admin: endpoints (keep running)": lambda h: (
        reverse("admin:endpoints_app_endpoint_changelist"),
        (PAYLOAD,),
    ),
    "admin: policies": lambda h: (reverse("admin:billing_policy_changelist"), VECTORS),
    "admin: audit entries": lambda h: (
        reverse("admin:endpoints_app_auditentry_changelist"),
        (*VECTORS, PAYLOAD),
    ),
}


@pytest.fixture
def hostile() -> Hostile:
    return make_hostile_rows(make_people(staff=True))


@pytest.fixture
def ada(hostile: Hostile) -> Client:
    """The admin (staff): every page is hers to see."""
    client = Client()
    client.force_login(hostile.people.admin)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_user_text_is_shown_as_text_never_run(page: str, hostile: Hostile, ada: Client) -> None:
    url, shown = PAGES[page](hostile)
    response = ada.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert active_content(html) == []
    assert [text for text in shown if escape(text) not in html] == []
