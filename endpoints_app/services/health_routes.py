"""Endpoints the console created with a custom container's health route that the service ignored, and the
update that sets it.

Before it sent `healthRoute`, the console wrote a custom image's route as `health_route`, which the service
drops without an error, checking `/health` instead (huggingface_hub commit 5589874: "the API silently
ignored snake_case health_route"). A container that answers only on its own route then never looks ready.
The console's own create operation shows the route it meant; the endpoint's JSON shows what the service
checks: an image without `healthRoute`, whose top-level `healthRoute` is another route.
"""

from dataclasses import dataclass, replace

from endpoints_app.engine_settings import DEFAULT_HEALTH_ROUTE, read_settings
from endpoints_app.hf.remote import EndpointUpdate
from endpoints_app.models import Endpoint, Operation, OperationKind
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


@dataclass(frozen=True)
class IgnoredHealthRoute:
    meant: str  # what the console asked for when it created the endpoint
    checked: str  # what the service checks


def ignored_health_route(endpoint: Endpoint) -> IgnoredHealthRoute | None:
    """The route the console meant and the one the service checks, when they differ because the service
    never got the first; None otherwise (one query: the endpoint's latest create from the console)."""
    image = (endpoint.raw.get("model") or {}).get("image") or {}
    config = next(iter(image.values()), None)
    if not isinstance(config, dict) or "healthRoute" in config or "url" not in config:
        return None  # the default container, or an image that has a route of its own
    payload = (
        Operation.objects.filter(
            namespace_id=endpoint.namespace_id, endpoint_name=endpoint.name, kind=OperationKind.CREATE
        )
        .order_by("-created_at", "-id")
        .values_list("payload", flat=True)
        .first()
    )
    meant = ((payload or {}).get("custom_image") or {}).get("health_route")
    checked = endpoint.raw.get("healthRoute") or DEFAULT_HEALTH_ROUTE
    if not meant or meant == checked:
        return None
    return IgnoredHealthRoute(meant=meant, checked=checked)


def set_meant_health_route(actor: Actor, endpoint: Endpoint) -> Operation:
    """Updates the endpoint's image with the health route the console meant, as `healthRoute`."""
    ignored = ignored_health_route(endpoint)
    if ignored is None:
        raise ActionRefused(f"{endpoint.name}'s health route is already the one the console asked for.")
    current = read_settings(endpoint.raw.get("model") or {})
    if current.has_credentials:
        raise ActionRefused(
            f"{endpoint.name}'s image logs in to its registry, whose password the API never shows: set its "
            f"health route to {ignored.meant} where the image was set."
        )
    image = replace(current, health_route=ignored.meant).as_image()
    return operations.update_endpoint(actor, endpoint, EndpointUpdate(custom_image=image))
