"""The admin role opens the Django admin; only superusers make superusers."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.fixtures.team import make_user, role_group

pytestmark = pytest.mark.django_db


def test_joining_the_admin_role_makes_staff_and_leaving_it_undoes_it() -> None:
    user = make_user("ines", "operator")
    assert not user.is_staff
    user.groups.add(role_group("admin"))
    assert User.objects.get(pk=user.pk).is_staff
    user.groups.remove(role_group("admin"))
    assert not User.objects.get(pk=user.pk).is_staff


def test_a_superuser_stays_staff_whatever_the_groups() -> None:
    root = User.objects.create_superuser("root", password="a-root-password-1")
    root.groups.clear()
    assert User.objects.get(pk=root.pk).is_staff


def test_an_admin_cannot_make_anyone_superuser() -> None:
    admin = make_user("ada", "admin")
    target = make_user("vic", "viewer")
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/auth/user/{target.pk}/change/")
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content


def test_an_admin_cannot_change_the_password_of_a_superuser() -> None:
    admin = make_user("ada", "admin")
    root = User.objects.create_superuser("root", password="a-root-password-1")
    client = Client()
    client.force_login(admin)
    answer = client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "taken-over-9876", "password2": "taken-over-9876", "usable_password": "true"},
    )
    assert answer.status_code == 403
    assert User.objects.get(pk=root.pk).check_password("a-root-password-1")
    assert client.post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=root.pk).exists()


def test_adding_members_from_the_group_side_makes_them_staff_too() -> None:
    user = make_user("gus", None)
    role_group("admin").user_set.add(user)
    assert User.objects.get(pk=user.pk).is_staff
