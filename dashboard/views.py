"""The overview page and the health endpoints (liveness and readiness)."""

import hmac
from dataclasses import asdict

from asgiref.sync import sync_to_async
from django.conf import settings
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
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, for anyone (a load balancer, the container's health check): the process answers. It checks
    nothing and names nothing; /readyz reports on the parts."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
async def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: each part the console needs, for admins or a monitor presenting HEALTH_CHECK_TOKEN; 503 when
    one is down. The results are at most HEALTH_CACHE_SECONDS old."""
    if not await _may_read_health(request):
        message = "Log in as an admin, or send the health check token (Authorization: Bearer ...)."
        return JsonResponse({"message": message}, status=403)
    results = await health.cached_results()
    healthy = all(result.ok for result in results.values())
    body = {"status": "ok" if healthy else "degraded", "checks": {k: asdict(v) for k, v in results.items()}}
    return JsonResponse(body, status=200 if healthy else 503)


async def _may_read_health(request: HttpRequest) -> bool:
    expected = settings.HEALTH_CHECK_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if expected and sent and hmac.compare_digest(sent.encode(), expected.encode()):
        return True
    user = await request.auser()
    return await sync_to_async(roles.role_of)(user) == roles.Role.ADMIN
