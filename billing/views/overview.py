"""The Overview's one-click pause of a forgotten endpoint."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from endpoints_app.models import Endpoint
from endpoints_app.roles import OPERATE, requires
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused
from endpoints_app.services.operations import pause_endpoint


@require_POST
@requires(OPERATE)
def pause_forgotten(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint.objects.select_related("namespace"), pk=pk)
    try:
        pause_endpoint(Actor.from_request(request), endpoint)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Pausing {endpoint.full_name}.")
    return redirect("overview")
