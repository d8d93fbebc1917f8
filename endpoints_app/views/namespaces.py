"""The namespaces the tokens reach: when each was last synced, its sync error, and "Refresh"."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from endpoints_app.models import Namespace
from endpoints_app.roles import OPERATE, VIEW, requires
from endpoints_app.services import overview, refreshes
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused

Request = Callable[[Actor, Namespace], None]


@requires(VIEW)
@require_GET
def namespace_list(request: HttpRequest) -> HttpResponse:
    context = {"namespaces": overview.namespaces_with_counts()}
    return render(request, "endpoints_app/namespaces.html", context)


def _ask(request: HttpRequest, pk: int, service: Request, done: str) -> HttpResponse:
    namespace = get_object_or_404(Namespace, pk=pk)
    try:
        service(Actor.from_request(request), namespace)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, done.format(namespace=namespace.name))
    return redirect("endpoints:namespaces")


@requires(OPERATE)
@require_POST
def refresh_namespace(request: HttpRequest, pk: int) -> HttpResponse:
    return _ask(request, pk, refreshes.request_sync, "Syncing {namespace}: reload in a moment.")


@requires(OPERATE)
@require_POST
def refresh_hardware(request: HttpRequest, pk: int) -> HttpResponse:
    done = "Fetching the hardware list of {namespace}: reload in a moment."
    return _ask(request, pk, refreshes.request_hardware, done)
