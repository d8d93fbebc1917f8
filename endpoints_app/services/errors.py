"""Exceptions the services raise, each with a message for the person who asked."""

from django.core.exceptions import PermissionDenied


class ActionRefused(Exception):
    """The action cannot be done now; `str(error)` says why, in words for the user."""


class OperationInProgress(ActionRefused):
    """Another operation on the same endpoint is not finished."""


class NotPermitted(PermissionDenied):
    """The actor's role does not allow the action."""
