"""Who is acting: a person (with their address) or a policy."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from endpoints_app.roles import Role, role_of


@dataclass(frozen=True)
class Actor:
    user: AbstractBaseUser | None
    ip_address: str | None = None
    automatic_reason: str = ""
    # True when the caller already counted the request against the user's rate limit (one bulk request
    # that acts on many endpoints counts once).
    rate_limit_counted: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> "Actor":
        return cls(user=request.user, ip_address=client_ip(request))

    @classmethod
    def automatic(cls, reason: str) -> "Actor":
        """A policy or the scheduler: allowed to act on its own, recorded under its reason."""
        return cls(user=None, automatic_reason=reason)

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return f"automatic: {self.automatic_reason}" if self.automatic_reason else "system"

    def has_perm(self, permission: str) -> bool:
        if self.user is None:
            return bool(self.automatic_reason)
        return self.user.has_perm(permission)

    @property
    def role(self) -> Role | None:
        return role_of(self.user) if self.user is not None else None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind a TLS proxy (BEHIND_TLS_PROXY) the ASGI server already puts the client there."""
    return request.META.get("REMOTE_ADDR") or None
