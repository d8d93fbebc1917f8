"""Every view that takes a POST refuses one without the CSRF token, an htmx one included, and accepts the
same POST once it carries the token in the header that the pages' htmx sends (`<body hx-headers>`).

The POST views are those the access table lets the admin POST to; "accepts" means the admin gets what the
table says.
"""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from tests.security.rows import Rows
from tests.security.test_access_matrix import expected, matches, pk_row_of
from tests.security.url_walk import all_patterns, url_for
from tests.security.visits import Answer, Visitors

pytestmark = pytest.mark.django_db

CSRF_FAILURE = "This form has expired"


@pytest.fixture
def strict(rows: Rows) -> Visitors:
    """The team's clients checking CSRF as browsers would meet it; the admin holds a CSRF cookie."""
    visitors = Visitors(rows.people, enforce_csrf_checks=True)
    assert visitors.client("admin").get(reverse("login")).status_code == 200  # sets the cookie
    return visitors


def post_urls(rows: Rows) -> dict[str, str]:
    """The URL of every view that takes a POST, by pattern."""
    return {
        pattern.key: url_for(pattern, rows, pk_row_of(pattern))
        for pattern in all_patterns()
        if expected(pattern, "post", "admin") != "405"
    }


def refused_for_csrf(response: HttpResponse) -> bool:
    return response.status_code == 403 and CSRF_FAILURE in response.content.decode()


def test_a_form_post_without_the_token_is_refused(rows: Rows, strict: Visitors) -> None:
    urls = post_urls(rows)
    accepted = {
        key: url for key, url in urls.items() if not refused_for_csrf(strict.response("admin", "post", url))
    }
    assert accepted == {}
    assert len(urls) > 100


def test_an_htmx_post_without_the_token_header_is_refused(rows: Rows, strict: Visitors) -> None:
    htmx = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
    accepted = {
        key: url
        for key, url in post_urls(rows).items()
        if not refused_for_csrf(strict.response("admin", "post", url, headers=htmx))
    }
    assert accepted == {}


def test_the_same_post_with_the_token_header_passes(rows: Rows, strict: Visitors) -> None:
    token = strict.client("admin").cookies[settings.CSRF_COOKIE_NAME].value
    patterns = {pattern.key: pattern for pattern in all_patterns()}
    wrong: dict[str, Answer] = {}
    for key, url in post_urls(rows).items():
        answer = strict.answer("admin", "post", url, headers={"HX-Request": "true", "X-CSRFToken": token})
        if not matches(answer, expected(patterns[key], "post", "admin")):
            wrong[key] = answer
    assert wrong == {}
