"""The permissions the views require (the services check them again)."""

from collections.abc import Callable

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse

VIEW = "endpoints_app.view_endpoint"
OPERATE = "endpoints_app.operate_endpoint"
REMOVE = "endpoints_app.remove_endpoint"
MANAGE_CREDENTIALS = "endpoints_app.manage_credentials"

View = Callable[..., HttpResponse]


def requires(permission: str) -> Callable[[View], View]:
    """The view answers 403 (the friendly page) to a user without `permission`."""
    return permission_required(permission, raise_exception=True)
