"""The Django admin of the endpoint registry, for billing-conscious pausing.

The Endpoint changelist shows what each endpoint costs and lets admins (the role, which is staff) pause,
scale to zero or resume several at once: each becomes an Operation through the services, after a confirmation
page listing the hourly saving. Everything else is read-only here (the console's pages and services change
it). Access follows the console's roles rather than per-model admin permissions.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from billing.costs import ZERO, month_to_date, running_burn
from billing.models import Exclusion
from dashboard import rate_limits
from endpoints_app import roles
from endpoints_app.models import (
    AuditEntry,
    Credential,
    Endpoint,
    EndpointStatus,
    HardwareOption,
    Namespace,
    Operation,
)
from endpoints_app.models.endpoints import BILLED_STATUSES
from endpoints_app.services import credentials, operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


class RolePermissionAdmin(admin.ModelAdmin):
    """Viewing needs `view_permission`; nothing is added or changed here. Deleting needs `delete_permission`
    (None: never)."""

    view_permission = roles.VIEW
    delete_permission: str | None = None
    # Django 6's default for a URL typed without a scheme, said explicitly (the admin's forms are read-only).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.view_permission)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm(self.view_permission)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.delete_permission is not None and request.user.has_perm(self.delete_permission)


# --- Endpoints ------------------------------------------------------------------------------------------
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


class BilledNowFilter(admin.SimpleListFilter):
    title = "billed now"
    parameter_name = "billed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Billed now"), ("no", "Not billed")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
        billed = queryset.filter(is_gone=False, status__in=BILLED_STATUSES)
        if self.value() == "yes":
            return billed
        if self.value() == "no":
            return queryset.exclude(pk__in=billed.values("pk"))
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


@dataclass(frozen=True)
class BulkAction:
    """One of the changelist's bulk actions: the service it calls, and its effect on the hourly bill (an
    amount saved, or added for a resume: `amount_label` says which)."""

    name: str
    verb: str  # "pause"
    service: Callable[[Actor, Endpoint], Operation]
    already: str  # the status in which there is nothing to do
    hourly_amount: Callable[[Endpoint], Decimal]
    amount_label: str


BULK_ACTIONS = {
    action.name: action
    for action in (
        BulkAction(
            "pause_selected",
            "pause",
            operations.pause_endpoint,
            EndpointStatus.PAUSED,
            lambda endpoint: endpoint.hourly_burn,
            "Hourly saving",
        ),
        BulkAction(
            "scale_selected_to_zero",
            "scale to zero",
            operations.scale_endpoint_to_zero,
            EndpointStatus.SCALED_TO_ZERO,
            lambda endpoint: endpoint.hourly_burn,
            "Hourly saving",
        ),
        BulkAction(
            "resume_selected",
            "resume",
            operations.resume_endpoint,
            EndpointStatus.RUNNING,
            running_burn,
            "Hourly cost added",
        ),
    )
}


@admin.register(Endpoint)
class EndpointAdmin(RolePermissionAdmin):
    list_display = (
        "full_name",
        "status_label",
        "hardware",
        "price",
        "cost_this_month",
        "last_activity_at",
        "kept_running",
    )
    list_display_links = ("full_name",)
    list_filter = (
        "status",
        BilledNowFilter,
        KeptRunningFilter,
        "namespace",
        "vendor",
        "accelerator",
        "instance_type",
        "tags",
        "is_gone",
    )
    list_select_related = ("namespace",)
    search_fields = ("name", "namespace__name", "repository")
    actions = tuple(BULK_ACTIONS)
    exclude = ("raw",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Endpoint]:
        active = Exclusion.objects.active().order_by("-expires_at")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("exclusions", queryset=active, to_attr="active_exclusions"))
        )

    def get_changelist(self, request: HttpRequest, **kwargs: object) -> type[ChangeList]:
        return CostedChangeList

    def has_operate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(roles.OPERATE)

    @admin.display(description="Endpoint", ordering="name")
    def full_name(self, endpoint: Endpoint) -> str:
        return endpoint.full_name

    @admin.display(description="Status", ordering="status")
    def status_label(self, endpoint: Endpoint) -> str:
        return "Deleted" if endpoint.is_gone else endpoint.get_status_display()

    @admin.display(description="Hardware", ordering="instance_type")
    def hardware(self, endpoint: Endpoint) -> str:
        return f"{endpoint.vendor} {endpoint.instance_type} {endpoint.instance_size}"

    @admin.display(description="Price / hour", ordering="price_per_hour")
    def price(self, endpoint: Endpoint) -> str:
        return "—" if endpoint.price_per_hour is None else f"${endpoint.price_per_hour:,.2f}"

    @admin.display(description="Cost this month")
    def cost_this_month(self, endpoint: Endpoint) -> str:
        return f"${getattr(endpoint, 'month_cost', ZERO):,.2f}"

    @admin.display(description="Keep running")
    def kept_running(self, endpoint: Endpoint) -> str:
        marks = getattr(endpoint, "active_exclusions", [])
        if not marks:
            return ""
        return f"until {timezone.localtime(marks[0].expires_at):%Y-%m-%d %H:%M}: {marks[0].reason}"

    @admin.action(description="Pause selected", permissions=["operate"])
    def pause_selected(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> TemplateResponse | None:
        return self._bulk(request, queryset, BULK_ACTIONS["pause_selected"])

    @admin.action(description="Scale selected to zero", permissions=["operate"])
    def scale_selected_to_zero(
        self, request: HttpRequest, queryset: QuerySet[Endpoint]
    ) -> TemplateResponse | None:
        return self._bulk(request, queryset, BULK_ACTIONS["scale_selected_to_zero"])

    @admin.action(description="Resume selected", permissions=["operate"])
    def resume_selected(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> TemplateResponse | None:
        return self._bulk(request, queryset, BULK_ACTIONS["resume_selected"])

    def _bulk(
        self, request: HttpRequest, queryset: QuerySet[Endpoint], action: BulkAction
    ) -> TemplateResponse | None:
        endpoints = list(queryset.select_related("namespace"))
        if request.POST.get("confirm") != "yes":
            return self._confirmation(request, endpoints, action)
        if not rate_limits.allow(rate_limits.ACTIONS, request.user.pk):
            self.message_user(request, rate_limits.ACTIONS.refusal(), messages.ERROR)
            return None
        actor = replace(Actor.from_request(request), rate_limit_counted=True)  # this request counted once
        queued = []
        for endpoint in endpoints:
            try:
                action.service(actor, endpoint)
            except ActionRefused as refusal:
                self.message_user(request, f"{endpoint.full_name}: {refusal}", messages.WARNING)
            else:
                queued.append(endpoint.full_name)
        if queued:
            names = ", ".join(queued)
            self.message_user(request, f"Queued: {action.verb} {names}.", messages.SUCCESS)
        return None

    def _confirmation(
        self, request: HttpRequest, endpoints: list[Endpoint], action: BulkAction
    ) -> TemplateResponse:
        rows = [
            {
                "endpoint": endpoint,
                "amount": action.hourly_amount(endpoint),
                "nothing_to_do": endpoint.is_gone or endpoint.status == action.already,
            }
            for endpoint in endpoints
        ]
        total = sum((row["amount"] for row in rows if not row["nothing_to_do"]), ZERO)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action.verb.capitalize()} {len(endpoints)} endpoint(s)?",
            "opts": self.opts,
            "action": action,
            "rows": rows,
            "total_amount": total,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/endpoints_app/endpoint/confirm_bulk_action.html", context)


# --- The rest of the registry, read-only -----------------------------------------------------------------
@admin.register(Operation)
class OperationAdmin(RolePermissionAdmin):
    list_display = ("created_at", "kind", "target", "state", "actor_label", "error")
    list_select_related = ("namespace", "requested_by")
    list_filter = ("kind", "state", "namespace")
    search_fields = ("endpoint_name", "automatic_reason", "requested_by__username")
    date_hierarchy = "created_at"
    exclude = ("secrets_ciphertext",)

    @admin.display(description="Endpoint", ordering="endpoint_name")
    def target(self, operation: Operation) -> str:
        return f"{operation.namespace.name}/{operation.endpoint_name}"


@admin.register(AuditEntry)
class AuditEntryAdmin(RolePermissionAdmin):
    view_permission = roles.MANAGE_USERS  # it holds people's addresses
    list_display = ("at", "actor_label", "action", "target", "result", "message")
    list_filter = ("result", "action")
    search_fields = ("target", "actor_label", "message")
    date_hierarchy = "at"


@admin.register(Credential)
class CredentialAdmin(RolePermissionAdmin):
    """Never shows the token: only its last four characters. Tokens are added on the Credentials page,
    where they are checked with the API; deleting one here moves its namespaces to another token."""

    view_permission = delete_permission = roles.MANAGE_CREDENTIALS
    list_display = ("label", "hf_username", "masked_token", "created_by", "updated_at")
    fields = ("label", "hf_username", "masked_token", "reached_namespaces", "created_by", "created_at")
    readonly_fields = fields

    def delete_model(self, request: HttpRequest, obj: Credential) -> None:
        credentials.remove_credential(Actor.from_request(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        for credential in queryset:
            self.delete_model(request, credential)


@admin.register(Namespace)
class NamespaceAdmin(RolePermissionAdmin):
    list_display = ("name", "is_organization", "credential", "last_synced_at", "last_sync_error")
    list_filter = ("is_organization",)
    search_fields = ("name",)


@admin.register(HardwareOption)
class HardwareOptionAdmin(RolePermissionAdmin):
    list_display = (
        "namespace",
        "vendor",
        "region",
        "instance_type",
        "instance_size",
        "accelerator",
        "price_per_hour",
        "status",
        "quota_left",
        "refreshed_at",
    )
    list_filter = ("namespace", "vendor", "accelerator", "status")
    search_fields = ("instance_type", "architecture")
