"""One endpoint: everything the mirror knows, its timeline and operations, and a live status panel."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from endpoints_app import raw_json
from endpoints_app.models import Endpoint, Operation
from endpoints_app.roles import VIEW, requires

HISTORY_LENGTH = 25


def endpoint_or_404(pk: int) -> Endpoint:
    return get_object_or_404(Endpoint.objects.select_related("namespace").prefetch_related("tags"), pk=pk)


def operations_of(endpoint: Endpoint, limit: int = HISTORY_LENGTH) -> list[Operation]:
    """The endpoint's operations, newest first, including a create that failed before the endpoint existed."""
    return list(
        Operation.objects.filter(namespace=endpoint.namespace, endpoint_name=endpoint.name).select_related(
            "requested_by", "namespace"
        )[:limit]
    )


def live_context(endpoint: Endpoint, operations: list[Operation]) -> dict[str, Any]:
    """The status panel: status, URL, actions and the latest operation; it polls while anything moves."""
    latest = operations[0] if operations else None
    return {
        "endpoint": endpoint,
        "latest_operation": latest,
        "busy": latest is not None and latest.is_active,
        "polling": endpoint.is_transitional or (latest is not None and latest.is_active),
    }


@requires(VIEW)
@require_GET
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = endpoint_or_404(pk)
    operations = operations_of(endpoint)
    events = list(endpoint.status_events.all())
    metric, threshold = raw_json.scaling_measure(endpoint.raw)
    context = {
        **live_context(endpoint, operations),
        "operations": operations,
        "events": events,
        "env": raw_json.model_env(endpoint.raw),
        "secret_names": raw_json.secret_names(endpoint.raw),
        "scaling_metric": metric,
        "scaling_threshold": threshold,
        "raw_json": json.dumps(raw_json.redacted(endpoint.raw), indent=2, sort_keys=True),
    }
    return render(request, "endpoints_app/endpoint_detail.html", context)


@requires(VIEW)
@require_GET
def endpoint_live(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = endpoint_or_404(pk)
    context = live_context(endpoint, operations_of(endpoint, limit=1))
    return render(request, "endpoints_app/partials/endpoint_live.html", context)
