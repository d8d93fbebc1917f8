"""Fixtures of the security tests."""

import pytest

from tests.security.rows import Rows, make_people, make_rows


@pytest.fixture
def rows(db: None, redis_client: object) -> Rows:
    """A row of every kind, and staff members of each role (the actions their POSTs start go to Redis)."""
    return make_rows(make_people(staff=True))
