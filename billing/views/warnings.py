"""A pause warning's "keep running" link: a page that says what the policy is about to do, with a button
(a POST, with its CSRF token) that keeps the endpoint running for the policy's hours."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from billing import warnings
from billing.models import PauseWarning
from endpoints_app.roles import OPERATE, requires
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


@requires(OPERATE)
def keep_running(request: HttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(
        PauseWarning.objects.select_related("policy", "endpoint__namespace", "exclusion"), pk=pk
    )
    if request.method == "POST":
        try:
            warning = warnings.keep_running(Actor.from_request(request), warning)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            until = warning.exclusion.expires_at if warning.exclusion else None
            messages.success(request, f"{warning.endpoint.full_name} keeps running until {until:%H:%M}.")
        return redirect("billing:keep_running", warning.pk)
    return render(request, "billing/keep_running.html", {"warning": warning})
