"""The notifications list, marking them read, and the bell (polled by htmx)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from billing import services
from billing.models import Notification
from endpoints_app.roles import VIEW, requires

PAGE_SIZE = 50


@require_GET
@requires(VIEW)
def notification_list(request: HttpRequest) -> HttpResponse:
    shown = Notification.objects.select_related("endpoint__namespace", "policy", "pause_warning__policy")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    read = set(
        Notification.objects.filter(read_by=request.user, pk__in=[n.pk for n in page]).values_list(
            "pk", flat=True
        )
    )
    return render(request, "billing/notification_list.html", {"page": page, "read": read})


@require_POST
@requires(VIEW)
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("billing:notifications")


@require_GET
@requires(VIEW)
def notification_bell(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/partials/notification_bell.html")
