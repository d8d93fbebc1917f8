"""Which container images a person may deploy.

An endpoint's container receives the requests sent to its URL, the team token among them when the endpoint's
type requires one (security_types.authorization): an image that logs its requests would hand the token to
whoever chose it. So operators deploy only the engines' published images (any tag of the repositories the
console offers, engine_settings.OPTIONS), plus images from the registries an admin of the deployment lists in
OPERATOR_IMAGE_REGISTRIES; admins may deploy any image.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from endpoints_app.engine_settings import OPTIONS
from endpoints_app.roles import Role, role_of


def repository_of(image: str) -> str:
    """'ghcr.io/org/app:1.2' -> 'ghcr.io/org/app' (also without a digest); the tag is not the point."""
    name = image.split("@", 1)[0]
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > last_slash else name


PUBLISHED_REPOSITORIES = frozenset(
    repository_of(image) for option in OPTIONS for image in option.images.values() if image
)


def allowed_registries() -> tuple[str, ...]:
    """The OPERATOR_IMAGE_REGISTRIES prefixes, each ending with '/' (so `registry.example.com` does not also
    allow `registry.example.com.evil.net`)."""
    return tuple(f"{prefix.rstrip('/')}/" for prefix in settings.OPERATOR_IMAGE_REGISTRIES)


def may_deploy_any_image(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return user is not None and role_of(user) == Role.ADMIN


def refusal(image: str, user: AbstractBaseUser | AnonymousUser | None) -> str:
    """Why `user` may not deploy `image`, or "" when they may."""
    image = image.strip()
    if not image or may_deploy_any_image(user):
        return ""
    if repository_of(image) in PUBLISHED_REPOSITORIES or image.startswith(allowed_registries()):
        return ""
    return f"Only an admin may deploy this image. {rule(user)}"


def rule(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """What the form says of the images this user may deploy."""
    if may_deploy_any_image(user):
        return "As an admin you may deploy any image; operators deploy only the engines' published images."
    registries = ", ".join(prefix.rstrip("/") for prefix in allowed_registries())
    also = f", or an image from {registries}" if registries else ""
    return f"Allowed: the engines' published images (any tag){also}."
