"""The three roles, as Django groups with permissions (created by a migration).

viewer: read everything, use the playground. operator: also create, update, pause, resume, scale to zero.
admin: also delete endpoints, manage credentials, policies and users.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    OPERATOR = "operator", "Operator"
    ADMIN = "admin", "Admin"


VIEWER_PERMISSIONS = (
    "endpoints_app.view_endpoint",
    "endpoints_app.use_playground",
)
OPERATOR_PERMISSIONS = (*VIEWER_PERMISSIONS, "endpoints_app.operate_endpoint")
ADMIN_PERMISSIONS = (
    *OPERATOR_PERMISSIONS,
    "endpoints_app.remove_endpoint",
    "endpoints_app.manage_credentials",
    "endpoints_app.manage_policies",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
)
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.VIEWER: VIEWER_PERMISSIONS,
    Role.OPERATOR: OPERATOR_PERMISSIONS,
    Role.ADMIN: ADMIN_PERMISSIONS,
}


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
