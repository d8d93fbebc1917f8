"""An operation's progress: queued, calling the API, waiting (remote state, elapsed, deadline), outcome."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from endpoints_app.models import Operation
from endpoints_app.roles import VIEW, requires


@requires(VIEW)
@require_GET
def operation_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The page, or for htmx the status partial (which polls itself while the operation is active)."""
    operation = get_object_or_404(
        Operation.objects.select_related("namespace", "endpoint", "requested_by"), pk=pk
    )
    template = (
        "endpoints_app/partials/operation_status.html" if request.htmx else "endpoints_app/operation.html"
    )
    return render(request, template, {"operation": operation})
