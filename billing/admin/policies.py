"""Policies and 'keep running' marks for admins, notifications read-only."""

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from billing import services
from billing.models import Exclusion, Notification, Policy
from billing.policies import describe
from billing.scope import scope_label
from endpoints_app import roles
from endpoints_app.admin import RolePermissionAdmin
from endpoints_app.services.actors import Actor


class ManagedByAdmins(RolePermissionAdmin):
    """Admins (manage_policies) view, add, change and delete."""

    view_permission = delete_permission = roles.MANAGE_POLICIES

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(roles.MANAGE_POLICIES)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm(roles.MANAGE_POLICIES)


@admin.register(Policy)
class PolicyAdmin(ManagedByAdmins):
    list_display = ("name", "kind", "enabled", "description", "scope")
    list_filter = ("kind", "enabled")
    search_fields = ("name",)
    filter_horizontal = ("namespaces", "tags", "endpoints")
    readonly_fields = ("created_by", "created_at", "updated_at")

    @admin.display(description="What it does")
    def description(self, policy: Policy) -> str:
        return describe(policy)

    @admin.display(description="Scope")
    def scope(self, policy: Policy) -> str:
        return scope_label(policy)

    def save_model(self, request: HttpRequest, obj: Policy, form: ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        services.record_policy_saved(
            Actor.from_request(request), obj, created=not change, changed=form.changed_data
        )


@admin.register(Exclusion)
class ExclusionAdmin(ManagedByAdmins):
    list_display = ("endpoint", "reason", "expires_at", "ended_at", "created_by")
    list_filter = ("expires_at",)
    search_fields = ("endpoint__name", "reason")
    raw_id_fields = ("endpoint",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: Exclusion, form: ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Notification)
class NotificationAdmin(RolePermissionAdmin):
    list_display = ("created_at", "kind", "level", "title", "webhook_result")
    list_filter = ("kind", "level")
    search_fields = ("title", "body")
    date_hierarchy = "created_at"
    exclude = ("read_by",)
