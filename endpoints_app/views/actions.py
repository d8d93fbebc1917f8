"""Pause, resume, scale to zero and delete: each asks its service for an operation and shows where it went.

A list row's quick action (htmx, targeting the row) gets the row back; the create form's "resume instead"
(targeting the progress area) gets the operation's live status; a plain form post is redirected to the
endpoint's page. A refusal is a message in each case, never an error page.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from endpoints_app.forms.actions import DeleteConfirmForm
from endpoints_app.models import Endpoint, Operation
from endpoints_app.roles import OPERATE, REMOVE, requires
from endpoints_app.services import health_routes, operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused
from endpoints_app.views import rows

PROGRESS_AREA = "form-progress"

Action = Callable[[Actor, Endpoint], Operation]


def row_id(endpoint: Endpoint) -> str:
    return f"endpoint-{endpoint.pk}"


def _answer(request: HttpRequest, endpoint: Endpoint, operation: Operation | None) -> HttpResponse:
    target = request.htmx.target if request.htmx else None
    if target == row_id(endpoint):
        return _row_answer(request, endpoint)
    if target == PROGRESS_AREA:
        if operation is not None:
            return render(request, "endpoints_app/partials/operation_status.html", {"operation": operation})
        return render(request, "partials/messages.html")
    return redirect("endpoints:detail", pk=endpoint.pk)


def _row_answer(request: HttpRequest, endpoint: Endpoint) -> HttpResponse:
    """The row as it is now, the list's poller switched on if something now moves, and the messages."""
    endpoint = rows.with_row_data(Endpoint.objects.filter(pk=endpoint.pk)).get()
    any_operation = rows.prepare_rows([endpoint])
    list_query = urlsplit(request.htmx.current_url or "").query
    context = {
        "rows": [endpoint],
        "polling": any_operation or rows.needs_polling([endpoint]),
        "live_url": f"{reverse('endpoints:list_live')}?{list_query}",
    }
    return render(request, "endpoints_app/partials/endpoint_row_answer.html", context)


def _act(request: HttpRequest, pk: int, action: Action, what: str) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint.objects.select_related("namespace"), pk=pk)
    try:
        operation = action(Actor.from_request(request), endpoint)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return _answer(request, endpoint, None)
    if operation.queue_down_note:
        messages.warning(request, f"{what} {endpoint.full_name}. {operation.queue_down_note}")
    elif not request.htmx:  # an htmx answer shows the operation itself
        messages.info(request, f"{what} {endpoint.full_name}: the operation is under way.")
    return _answer(request, endpoint, operation)


@requires(OPERATE)
@require_POST
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operations.pause_endpoint, "Pausing")


@requires(OPERATE)
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operations.resume_endpoint, "Resuming")


@requires(OPERATE)
@require_POST
def set_health_route(request: HttpRequest, pk: int) -> HttpResponse:
    """The update that sets the health route the console meant when it created the endpoint."""
    return _act(request, pk, health_routes.set_meant_health_route, "Setting the health route of")


@requires(OPERATE)
@require_POST
def scale_to_zero(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operations.scale_endpoint_to_zero, "Scaling to zero")


@requires(REMOVE)
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint.objects.select_related("namespace"), pk=pk)
    form = DeleteConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            operations.delete_endpoint(actor, endpoint, typed_name=form.cleaned_data["typed_name"])
        except ActionRefused as refusal:
            form.add_error("typed_name", str(refusal))
        else:
            messages.info(request, f"Deleting {endpoint.full_name}: the operation is under way.")
            return redirect("endpoints:detail", pk=endpoint.pk)
    return render(request, "endpoints_app/endpoint_delete.html", {"endpoint": endpoint, "form": form})
