"""The endpoint page's Analytics tab (the collected samples: no API call) and Logs tab (read from the API
when opened). Each is a full page on its own, and only the tab's panel when htmx asks for it."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from endpoints_app.analytics_chart import latency_chart, replicas_chart, requests_chart
from endpoints_app.forms.observability import AnalyticsWindowForm, LogFilterForm
from endpoints_app.hf import GatewayError
from endpoints_app.models import Endpoint
from endpoints_app.roles import VIEW, requires
from endpoints_app.services import logs
from endpoints_app.services.analytics import WINDOWS, endpoint_analytics
from endpoints_app.views.detail import endpoint_or_404, live_context, operations_of

TAB_PANEL = "endpoint-tab"


def _tab(request: HttpRequest, endpoint: Endpoint, tab: str, context: dict[str, Any]) -> HttpResponse:
    context = {"endpoint": endpoint, "tab": tab, **context}
    if request.htmx and request.htmx.target == TAB_PANEL:
        return render(request, "endpoints_app/partials/endpoint_tab.html", context)
    page = {**live_context(endpoint, operations_of(endpoint, limit=1)), **context}
    return render(request, "endpoints_app/endpoint_page.html", page)


@requires(VIEW)
@require_GET
def endpoint_analytics_tab(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = endpoint_or_404(pk)
    window = AnalyticsWindowForm(request.GET).chosen_window()
    analytics = endpoint_analytics(endpoint, window, timezone.now())
    context = {
        "analytics": analytics,
        "windows": WINDOWS.values(),
        "interval_seconds": settings.METRICS_INTERVAL_SECONDS,
        "charts": [requests_chart(analytics), latency_chart(analytics), replicas_chart(analytics)],
    }
    return _tab(request, endpoint, "analytics", context)


@requires(VIEW)
@require_GET
def endpoint_logs_tab(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = endpoint_or_404(pk)
    form = LogFilterForm(request.GET)
    page, error = None, ""
    if form.is_valid():
        try:
            page = logs.read_logs(endpoint, **form.cleaned_data)
        except GatewayError as failure:
            error = str(failure)
    data = form.cleaned_data if form.is_valid() else {}
    level, replica = data.get("level", ""), data.get("replica", "")
    shown = {line.replica for line in page.lines} if page else set()
    context = {
        "form": form,
        "page": page,
        "error": error,
        "selected_level": level,
        "selected_replica": replica,
        "replicas": sorted(shown | ({replica} if replica else set())),
        "more_query": urlencode({"level": level, "replica": replica, "cursor": page.next_cursor or ""})
        if page
        else "",
    }
    if request.htmx and data.get("cursor"):  # "Load more": only the older lines
        return render(request, "endpoints_app/partials/log_lines.html", {"endpoint": endpoint, **context})
    return _tab(request, endpoint, "logs", context)
