"""Users, organisations and tokens: who a token belongs to and which namespaces it reaches.

Built in: user ``demo`` (token ``hf_demo_token``, member of org ``demo-org``, access to every gated repo) and
user ``viewer`` (token ``hf_viewer_token``, no org, no gated access). A config file adds more.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

ALL_GATED_REPOS = "*"


def stable_id(kind: str, name: str) -> str:
    """A 24-hex id, like the Hub's object ids, that stays the same across restarts."""
    return hashlib.sha1(f"{kind}:{name}".encode(), usedforsecurity=False).hexdigest()[:24]


@dataclass(frozen=True)
class Org:
    name: str
    fullname: str

    @property
    def id(self) -> str:
        return stable_id("org", self.name)


@dataclass(frozen=True)
class User:
    name: str
    fullname: str
    orgs: tuple[str, ...] = ()
    # Repo ids of gated repos this user was granted; "*" grants all of them.
    gated_repos: frozenset[str] = field(default_factory=frozenset)

    @property
    def id(self) -> str:
        return stable_id("user", self.name)

    @property
    def namespaces(self) -> tuple[str, ...]:
        return (self.name, *self.orgs)

    def can_access_gated(self, repo_id: str) -> bool:
        return ALL_GATED_REPOS in self.gated_repos or repo_id in self.gated_repos


@dataclass(frozen=True)
class Token:
    value: str
    user: str
    role: str = "write"  # "write" or "read"

    @property
    def can_write(self) -> bool:
        return self.role == "write"


@dataclass(frozen=True)
class Identity:
    """The user behind a request's token, and what the token allows."""

    user: User
    token: Token

    @property
    def actor(self) -> dict[str, str]:
        """The ``{"id", "name"}`` the API puts in createdBy/updatedBy."""
        return {"id": self.user.id, "name": self.user.name}


class Accounts:
    def __init__(self, users: Iterable[User], orgs: Iterable[Org], tokens: Iterable[Token]) -> None:
        self.users = {user.name: user for user in users}
        self.orgs = {org.name: org for org in orgs}
        self.tokens = {token.value: token for token in tokens}
        for token in self.tokens.values():
            if token.user not in self.users:
                raise ValueError(f"token of unknown user {token.user!r}")
        for user in self.users.values():
            unknown = set(user.orgs) - set(self.orgs)
            if unknown:
                raise ValueError(f"user {user.name!r} is in unknown orgs {sorted(unknown)}")

    def identify(self, token: str | None) -> Identity | None:
        known = self.tokens.get(token or "")
        if known is None:
            return None
        return Identity(user=self.users[known.user], token=known)


def builtin_accounts_parts() -> tuple[list[User], list[Org], list[Token]]:
    users = [
        User("demo", "Demo User", orgs=("demo-org",), gated_repos=frozenset({ALL_GATED_REPOS})),
        User("viewer", "Viewer"),
    ]
    orgs = [Org("demo-org", "Demo Organization")]
    tokens = [Token("hf_demo_token", "demo"), Token("hf_viewer_token", "viewer")]
    return users, orgs, tokens


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
