"""'Keep running' marks: everyone sees them, admins add and end them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from billing import services
from billing.forms import ExclusionForm
from billing.models import Exclusion
from endpoints_app.roles import MANAGE_POLICIES, VIEW, requires
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused

RECENT_ENDED = 20


@require_GET
@requires(VIEW)
def exclusion_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, ExclusionForm())


@require_POST
@requires(MANAGE_POLICIES)
def exclusion_create(request: HttpRequest) -> HttpResponse:
    form = ExclusionForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    data = form.cleaned_data
    try:
        services.add_exclusion(
            Actor.from_request(request), data["endpoint"], data["reason"], data["expires_at"]
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_list(request, form, status=400)
    messages.success(request, f"Policies will keep {data['endpoint'].full_name} running.")
    return redirect("billing:exclusions")


@require_POST
@requires(MANAGE_POLICIES)
def exclusion_end(request: HttpRequest, pk: int) -> HttpResponse:
    exclusion = get_object_or_404(Exclusion.objects.select_related("endpoint__namespace"), pk=pk)
    try:
        services.end_exclusion(Actor.from_request(request), exclusion)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Policies apply to {exclusion.endpoint.full_name} again.")
    return redirect("billing:exclusions")


def _render_list(request: HttpRequest, form: ExclusionForm, status: int = 200) -> HttpResponse:
    now = timezone.now()
    exclusions = Exclusion.objects.select_related("endpoint__namespace", "created_by")
    context = {
        "form": form,
        "active": exclusions.active(now),
        "ended": exclusions.exclude(pk__in=exclusions.active(now)).order_by("-expires_at")[:RECENT_ENDED],
    }
    return render(request, "billing/exclusion_list.html", context, status=status)
