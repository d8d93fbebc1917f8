"""The permissions backend reads a user's own and group permissions in one query."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.fixtures.team import make_user

pytestmark = pytest.mark.django_db


def test_own_and_group_permissions_in_one_query() -> None:
    user = make_user("olga", "operator")
    user.user_permissions.add(Permission.objects.get(codename="manage_policies"))
    user = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("endpoints_app.operate_endpoint")  # through the operator group
        assert user.has_perm("endpoints_app.manage_policies")  # given to the user
        assert not user.has_perm("endpoints_app.remove_endpoint")
    assert len(queries) == 1


def test_inactive_and_anonymous_users_have_none() -> None:
    user = make_user("ivan", "admin")
    user.is_active = False
    assert not user.has_perm("endpoints_app.view_endpoint")


def test_a_superuser_has_every_permission() -> None:
    root = User.objects.create_superuser("root", password="a-root-password-1")
    assert root.has_perm("endpoints_app.remove_endpoint")
    assert len(root.get_all_permissions()) == Permission.objects.count()
