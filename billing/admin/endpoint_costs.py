"""The Endpoint admin with costs: what each endpoint cost this month, its 'keep running' mark (and a filter on
them), and the hourly saving (or cost, for a resume) of each bulk action with its total.

It replaces endpoints_app's registration of Endpoint with a subclass, so the registry's admin stays ignorant
of billing.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from billing.costs import ZERO, month_to_date, running_burn
from billing.models import Exclusion
from endpoints_app.admin import BilledNowFilter, BulkAction, EndpointAdmin
from endpoints_app.models import Endpoint


class KeptRunningFilter(admin.SimpleListFilter):
    title = "keep running"
    parameter_name = "kept_running"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Marked keep running"), ("no", "Not marked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
        marked = Exclusion.objects.active().values("endpoint_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=marked)
        if self.value() == "no":
            return queryset.exclude(pk__in=marked)
        return queryset


class CostedChangeList(ChangeList):
    """Adds each listed endpoint's cost this month (two queries for the whole page)."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        endpoints = list(self.result_list)
        costs = month_to_date(endpoints, timezone.now())
        for endpoint in endpoints:
            endpoint.month_cost = costs[endpoint.pk]
        self.result_list = endpoints


# What each bulk action does to the hourly bill: (the amount for one endpoint, what the amount is).
HOURLY_AMOUNTS: dict[str, tuple[Callable[[Endpoint], Decimal], str]] = {
    "pause_selected": (lambda endpoint: endpoint.hourly_burn, "Hourly saving"),
    "scale_selected_to_zero": (lambda endpoint: endpoint.hourly_burn, "Hourly saving"),
    "resume_selected": (running_burn, "Hourly cost added"),
}


def _inserted(items: tuple, after: object, *new: object) -> tuple:
    position = items.index(after) + 1
    return (*items[:position], *new, *items[position:])


admin.site.unregister(Endpoint)


@admin.register(Endpoint)
class EndpointCostsAdmin(EndpointAdmin):
    list_display = (*_inserted(EndpointAdmin.list_display, "price", "cost_this_month"), "kept_running")
    list_filter = _inserted(EndpointAdmin.list_filter, BilledNowFilter, KeptRunningFilter)
    confirmation_template = "admin/billing/endpoint_bulk_action_with_amounts.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Endpoint]:
        active = Exclusion.objects.active().order_by("-expires_at")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("exclusions", queryset=active, to_attr="active_exclusions"))
        )

    def get_changelist(self, request: HttpRequest, **kwargs: object) -> type[ChangeList]:
        return CostedChangeList

    @admin.display(description="Cost this month")
    def cost_this_month(self, endpoint: Endpoint) -> str:
        return f"${getattr(endpoint, 'month_cost', ZERO):,.2f}"

    @admin.display(description="Keep running")
    def kept_running(self, endpoint: Endpoint) -> str:
        marks = getattr(endpoint, "active_exclusions", [])
        if not marks:
            return ""
        return f"until {timezone.localtime(marks[0].expires_at):%Y-%m-%d %H:%M}: {marks[0].reason}"

    def confirmation_context(self, endpoints: list[Endpoint], action: BulkAction) -> dict[str, Any]:
        """Each row's amount per hour, and their total over the endpoints that have something to do."""
        context = super().confirmation_context(endpoints, action)
        amount_of, label = HOURLY_AMOUNTS[action.name]
        for row in context["rows"]:
            row["amount"] = amount_of(row["endpoint"])
        total = sum((row["amount"] for row in context["rows"] if not row["nothing_to_do"]), ZERO)
        return {**context, "amount_label": label, "total_amount": total}
