"""Fixtures of the endpoint page tests: a client logged in with a role, the team's operator on the whole
stack, and a mirrored namespace."""

import itertools
from collections.abc import Callable

import pytest
from django.test import Client

from endpoints_app.models import Namespace
from tests.endpoints.form_flow import logged_in
from tests.endpoints.mirror_rows import namespace_with_token
from tests.fixtures.team import Team, make_user


@pytest.fixture
def client_as(db: None) -> Callable[[str], Client]:
    """A logged-in client for a new user of the role ("viewer", "operator", "admin", or "" for none)."""

    numbers = itertools.count(1)

    def login(role: str) -> Client:
        client = Client()
        client.force_login(make_user(f"{role or 'nobody'}-{next(numbers)}", role or None))
        return client

    return login


@pytest.fixture
def operator(ready_team: Team) -> Client:
    """The team's operator, logged in, on the whole stack."""
    return logged_in(ready_team.operator)


@pytest.fixture
def namespace(db: None) -> Namespace:
    """A namespace `demo` with a (never called) token: the mirror's pages need nothing more."""
    return namespace_with_token("demo")
