"""The overview page and the health endpoint."""

from dataclasses import asdict

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from billing.overview import savings_panel
from dashboard import health
from endpoints_app import roles
from endpoints_app.services.overview import fleet_summary


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Honest numbers from the mirror (no Hugging Face call), for those allowed to see endpoints: the fleet
    (endpoints_app) and the billing panel (billing), each computed by its app's service."""
    if not request.user.has_perm(roles.VIEW):
        return render(request, "dashboard/overview.html", {"fleet": None})
    context = {"fleet": fleet_summary(), "savings": savings_panel(timezone.now())}
    return render(request, "dashboard/overview.html", context)


@login_not_required
@never_cache
@require_GET
async def healthz(request: HttpRequest) -> JsonResponse:
    results = await health.run_all()
    healthy = all(result.ok for result in results.values())
    body = {"status": "ok" if healthy else "degraded", "checks": {k: asdict(v) for k, v in results.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
