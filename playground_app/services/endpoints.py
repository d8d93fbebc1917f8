"""The mirrored endpoints the playground offers, and waking one up for it ("Resume and wait")."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from endpoints_app import roles
from endpoints_app.engines import TRAITS
from endpoints_app.models import Endpoint, Operation, OperationKind
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import OperationInProgress

CHAT_TASKS = ("text-generation", "image-text-to-text")
IMAGE_TASKS = ("text-to-image",)


def chat_endpoints() -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(is_gone=False, task__in=CHAT_TASKS).select_related("namespace__credential")


def image_endpoints() -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(is_gone=False, task__in=IMAGE_TASKS).select_related(
        "namespace__credential"
    )


def embedding_endpoints() -> QuerySet[Endpoint]:
    """Endpoints whose engine serves embeddings (TEI)."""
    engines = [engine for engine, traits in TRAITS.items() if traits.embeddings]
    return Endpoint.objects.filter(is_gone=False, engine__in=engines).select_related("namespace__credential")


def resume_and_wait(actor: Actor, endpoint: Endpoint) -> Operation:
    """A resume operation that succeeds once the endpoint answers; one already under way is joined."""
    try:
        return operations.resume_endpoint(actor, endpoint, wait=True)
    except OperationInProgress:
        running = operations.active_operation(endpoint.namespace, endpoint.name)
        if running is None or running.kind != OperationKind.RESUME:
            raise
        return running


def latest_resume(endpoint: Endpoint) -> Operation | None:
    return endpoint.operations.filter(kind=OperationKind.RESUME).order_by("-created_at", "-id").first()


def can_resume(user: AbstractBaseUser) -> bool:
    return user.has_perm(roles.OPERATE)
