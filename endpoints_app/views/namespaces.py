"""The namespaces the tokens reach: when each was last synced, its sync error, and "Refresh"."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from endpoints_app.models import Namespace
from endpoints_app.roles import OPERATE, VIEW, requires
from endpoints_app.services import overview, queue
from endpoints_app.services.errors import ActionRefused


@requires(VIEW)
@require_GET
def namespace_list(request: HttpRequest) -> HttpResponse:
    context = {"namespaces": overview.namespaces_with_counts()}
    return render(request, "endpoints_app/namespaces.html", context)


def _enqueue(request: HttpRequest, task: str, namespace: Namespace, done: str) -> HttpResponse:
    try:
        queue.send(task, namespace.pk)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, done)
    return redirect("endpoints:namespaces")


@requires(OPERATE)
@require_POST
def refresh_namespace(request: HttpRequest, pk: int) -> HttpResponse:
    namespace = get_object_or_404(Namespace, pk=pk)
    return _enqueue(request, "sync_namespace", namespace, f"Syncing {namespace.name}: reload in a moment.")


@requires(OPERATE)
@require_POST
def refresh_hardware(request: HttpRequest, pk: int) -> HttpResponse:
    namespace = get_object_or_404(Namespace, pk=pk)
    done = f"Fetching the hardware list of {namespace.name}: reload in a moment."
    return _enqueue(request, "refresh_hardware", namespace, done)
