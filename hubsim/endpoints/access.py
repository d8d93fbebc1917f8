"""Who may do what in a namespace."""

from hubsim.accounts import Identity
from hubsim.errors import ApiError


def authorize(identity: Identity | None, namespace: str, *, write: bool = False) -> Identity:
    """The identity, if its token reaches ``namespace`` (and may change things there when ``write``)."""
    if identity is None:
        raise ApiError(401, "Invalid credentials in Authorization header")
    if namespace not in identity.user.namespaces:
        raise ApiError(403, f"You don't have access to namespace '{namespace}'")
    if write and not identity.token.can_write:
        raise ApiError(403, "This token is read-only: a token with write access is needed for this action")
    return identity
