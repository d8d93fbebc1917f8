"""Who may do what in the playground: every member uses it; a conversation is changed by its author or an
admin; only its author writes in it (others continue a copy)."""

from django.contrib.auth.models import AbstractBaseUser

from endpoints_app import roles
from endpoints_app.roles import Role, role_of
from endpoints_app.services.errors import NotPermitted


def require_playground(user: AbstractBaseUser) -> None:
    roles.require(user, roles.USE_PLAYGROUND, "Your role does not include the playground.")


def is_admin(user: AbstractBaseUser) -> bool:
    return role_of(user) == Role.ADMIN


def can_manage(user: AbstractBaseUser, author_id: int) -> bool:
    """Rename, pin, clear or delete: the author, or an admin."""
    return user.pk == author_id or is_admin(user)


def require_manage(user: AbstractBaseUser, author_id: int, what: str) -> None:
    if not can_manage(user, author_id):
        raise NotPermitted(f"Only its author or an admin can {what}.")


def require_author(user: AbstractBaseUser, author_id: int) -> None:
    if user.pk != author_id:
        raise NotPermitted("This conversation is someone else's: continue a copy of it to write in it.")
