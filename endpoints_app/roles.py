"""Roles and permissions, in one place: the three roles (Django groups, created by a migration), the
permissions they hold, the backend that reads them, and the checks that views and services make.

viewer: read everything, use the playground. operator: also create, update, pause, resume, scale to zero.
admin: also delete endpoints, manage credentials, policies and users.

The console's own permissions are declared on the Endpoint model (its Meta), so they belong to the
`endpoints_app` label; billing and the playground check them through the constants below.
"""

from collections.abc import Callable
from typing import Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db import models
from django.db.models import Q
from django.http import HttpResponse

from endpoints_app.services.errors import NotPermitted

VIEW = "endpoints_app.view_endpoint"
USE_PLAYGROUND = "endpoints_app.use_playground"
OPERATE = "endpoints_app.operate_endpoint"
REMOVE = "endpoints_app.remove_endpoint"
MANAGE_CREDENTIALS = "endpoints_app.manage_credentials"
MANAGE_POLICIES = "endpoints_app.manage_policies"
# Managing the team's users; it also shows where people acted from (their addresses are personal data).
MANAGE_USERS = "auth.view_user"


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    OPERATOR = "operator", "Operator"
    ADMIN = "admin", "Admin"


VIEWER_PERMISSIONS = (VIEW, USE_PLAYGROUND)
OPERATOR_PERMISSIONS = (*VIEWER_PERMISSIONS, OPERATE)
ADMIN_PERMISSIONS = (
    *OPERATOR_PERMISSIONS,
    REMOVE,
    MANAGE_CREDENTIALS,
    MANAGE_POLICIES,
    MANAGE_USERS,
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
)
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.VIEWER: VIEWER_PERMISSIONS,
    Role.OPERATOR: OPERATOR_PERMISSIONS,
    Role.ADMIN: ADMIN_PERMISSIONS,
}


def codename(permission: str) -> str:
    """'endpoints_app.manage_policies' -> 'manage_policies' (what a query on Permission rows matches)."""
    return permission.split(".", 1)[1]


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The highest role the user holds (superusers are admins), or None for a user without a role."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in (Role.ADMIN, Role.OPERATOR, Role.VIEWER):
        if role.value in names:
            return role
    return None


# --- Checks ---------------------------------------------------------------------------------------------
View = Callable[..., HttpResponse]


def requires(permission: str) -> Callable[[View], View]:
    """The view (sync or async) answers 403, the friendly page, to a user without `permission`."""
    return permission_required(permission, raise_exception=True)


class PermissionHolder(Protocol):
    """A user, or a services Actor (a person or a policy)."""

    def has_perm(self, permission: str) -> bool: ...


def require(holder: PermissionHolder, permission: str, refusal: str) -> None:
    """What a service checks before acting: NotPermitted, saying `refusal`, when `holder` lacks it."""
    if not holder.has_perm(permission):
        raise NotPermitted(refusal)


# --- Reading permissions --------------------------------------------------------------------------------
class OneQueryPermissionsBackend(ModelBackend):
    """Django's ModelBackend, reading a user's permissions (their own and their groups') in one query.

    Every page checks the user's role; the stock backend asks the database twice for it (user permissions,
    then group permissions). The answer is the same set, cached on the user object for the request as before.
    """

    def get_all_permissions(self, user_obj: AbstractBaseUser | AnonymousUser, obj: object = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app_label}.{code}" for app_label, code in rows}
        return user_obj._perm_cache


def keep_admins_staff(sender: type, instance: object, action: str, **kwargs: object) -> None:
    """`m2m_changed` of User.groups, from either side: members of the admin group may open the Django admin
    (bulk pausing, users), and leave it with the role; a superuser stays staff."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if hasattr(instance, "is_staff"):
        users = [instance]
    else:  # a group's members changed (group.user_set.add ...); after a clear, no id is given
        users = list(get_user_model().objects.filter(pk__in=kwargs.get("pk_set") or ()))
    for user in users:
        is_admin = user.is_superuser or user.groups.filter(name=Role.ADMIN).exists()
        if user.is_staff != is_admin:
            user.is_staff = is_admin
            user.save(update_fields=["is_staff"])
