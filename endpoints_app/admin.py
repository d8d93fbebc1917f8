"""The Django admin of the endpoint registry.

The Endpoint changelist lets operators (admins are staff) pause, scale to zero or resume several endpoints at
once: each becomes an Operation through the services, after a confirmation page. Everything else is read-only
here (the console's pages and services change it). Access follows the console's roles rather than per-model
admin permissions. The billing app extends the Endpoint admin with costs (billing/admin.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

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
class BilledNowFilter(admin.SimpleListFilter):
    title = "billed now"
    parameter_name = "billed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Billed now"), ("no", "Not billed")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
        if self.value() == "yes":
            return queryset.billed_now()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.billed_now().values("pk"))
        return queryset


@dataclass(frozen=True)
class BulkAction:
    """One of the changelist's bulk actions: the service it calls for each selected endpoint."""

    name: str
    verb: str  # "pause"
    service: Callable[[Actor, Endpoint], Operation]
    already: str  # the status in which there is nothing to do


BULK_ACTIONS = {
    action.name: action
    for action in (
        BulkAction("pause_selected", "pause", operations.pause_endpoint, EndpointStatus.PAUSED),
        BulkAction(
            "scale_selected_to_zero",
            "scale to zero",
            operations.scale_endpoint_to_zero,
            EndpointStatus.SCALED_TO_ZERO,
        ),
        BulkAction("resume_selected", "resume", operations.resume_endpoint, EndpointStatus.RUNNING),
    )
}


@admin.register(Endpoint)
class EndpointAdmin(RolePermissionAdmin):
    """The mirror's endpoints; operators pause, scale to zero or resume several at once, after a
    confirmation page (`confirmation_context` and `confirmation_template` let another app add to it)."""

    list_display = ("full_name", "status_label", "hardware", "price", "last_activity_at")
    list_display_links = ("full_name",)
    list_filter = (
        "status",
        BilledNowFilter,
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
    confirmation_template = "admin/endpoints_app/endpoint/confirm_bulk_action.html"

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

    def confirmation_context(self, endpoints: list[Endpoint], action: BulkAction) -> dict[str, Any]:
        """What the confirmation page lists: a row per selected endpoint, and whether it has nothing to do."""
        rows = [
            {"endpoint": endpoint, "nothing_to_do": endpoint.is_gone or endpoint.status == action.already}
            for endpoint in endpoints
        ]
        return {"rows": rows}

    def _confirmation(
        self, request: HttpRequest, endpoints: list[Endpoint], action: BulkAction
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action.verb.capitalize()} {len(endpoints)} endpoint(s)?",
            "opts": self.opts,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            **self.confirmation_context(endpoints, action),
        }
        return TemplateResponse(request, self.confirmation_template, context)


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
