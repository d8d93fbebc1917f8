"""The Savings page (the Overview's billing panel in full) and the one-click pause of a forgotten endpoint."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from billing.overview import savings_panel
from billing.shortlists import OVERVIEW_ROWS
from endpoints_app.models import Endpoint
from endpoints_app.roles import OPERATE, VIEW, requires
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused
from endpoints_app.services.operations import pause_endpoint


@require_GET
@requires(VIEW)
def savings(request: HttpRequest) -> HttpResponse:
    context = {"savings": savings_panel(timezone.now(), limit=None), "overview_rows": OVERVIEW_ROWS}
    return render(request, "billing/savings.html", context)


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
    back = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return redirect(back if allowed else "overview")
