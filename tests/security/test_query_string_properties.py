"""Whatever is typed into the address bar after `?`, a page answers with itself (or a redirect), never with a
server error: search boxes, filters, sorting, paging and the parameters the pages link with."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.rows import Rows
from tests.security.test_access_matrix import expected, pk_row_of
from tests.security.url_walk import all_patterns, url_for
from tests.security.visits import Visitors

pytestmark = pytest.mark.django_db

# The parameters the console's pages read (and a few they do not).
PARAMETERS = (
    "q", "page", "sort", "status", "namespace", "task", "vendor", "tag", "preset", "repository", "name",
    "hardware", "actor", "action", "target", "result", "since", "until", "month", "endpoint", "author",
    "reuse", "batch", "o", "p", "e", "_changelist_filters", "kept_running", "billed", "next",
)  # fmt: skip
# Digits that int() refuses ("²": two pages crashed on it), a number past the database's integers, a NUL
# character, an impossible date.
AWKWARD = ("²", "99999999999999999999", "\x00", "2030-13-45")
queries = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8)), st.text(max_size=30), max_size=4
)


@pytest.fixture
def pages(rows: Rows) -> list[str]:
    """Every page the admin may open, its path parameters filled."""
    return sorted(
        url_for(pattern, rows, pk_row_of(pattern))
        for pattern in all_patterns()
        if expected(pattern, "get", "admin") == "200"
    )


@pytest.mark.parametrize("value", AWKWARD)
def test_an_awkward_value_in_every_parameter_breaks_no_page(rows: Rows, pages: list[str], value: str) -> None:
    visitors = Visitors(rows.people)
    query = urlencode(dict.fromkeys(PARAMETERS, value))
    failing = [page for page in pages if visitors.answer("admin", "get", f"{page}?{query}").status >= 500]
    assert failing == []
    assert len(pages) > 60


def test_no_query_string_makes_a_page_fail(rows: Rows, pages: list[str]) -> None:
    visitors = Visitors(rows.people)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(page=st.sampled_from(pages), query=queries)
    def answers(page: str, query: dict[str, str]) -> None:
        assert visitors.answer("admin", "get", f"{page}?{urlencode(query)}").status < 500

    answers()
