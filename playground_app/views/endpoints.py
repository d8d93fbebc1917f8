"""The chosen endpoint's state for the composer, and "Resume and wait" (JSON for playground.js)."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from endpoints_app.models import Endpoint, Operation
from endpoints_app.roles import USE_PLAYGROUND, requires
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused, NotPermitted
from playground_app.services.endpoints import latest_resume, resume_and_wait


def _state(endpoint: Endpoint, operation: Operation | None) -> dict:
    return {
        "endpoint": endpoint.pk,
        "status": endpoint.status,
        "status_label": endpoint.get_status_display(),
        "message": endpoint.status_message,
        "operation": None
        if operation is None
        else {"id": operation.pk, "state": operation.state, "error": operation.error},
    }


@requires(USE_PLAYGROUND)
@require_GET
def state(request: HttpRequest, pk: int) -> JsonResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk, is_gone=False)
    return JsonResponse(_state(endpoint, latest_resume(endpoint)))


@requires(USE_PLAYGROUND)
@require_POST
def resume(request: HttpRequest, pk: int) -> JsonResponse:
    endpoint = get_object_or_404(Endpoint.objects.select_related("namespace"), pk=pk, is_gone=False)
    try:
        operation = resume_and_wait(Actor.from_request(request), endpoint)
    except NotPermitted as refusal:
        return JsonResponse({"message": str(refusal)}, status=403)
    except ActionRefused as refusal:
        return JsonResponse({"message": str(refusal)}, status=409)
    return JsonResponse(_state(endpoint, operation), status=202)
