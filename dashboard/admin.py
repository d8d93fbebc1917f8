"""The user admin: admins (the role) manage the team's users, but only a superuser makes superusers."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest


class TeamUserAdmin(UserAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "is_staff", "user_permissions")


admin.site.unregister(User)
admin.site.register(User, TeamUserAdmin)
