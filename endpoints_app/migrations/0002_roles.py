"""Creates the viewer, operator and admin groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here, as migrations are: later changes to roles get a migration of their own.
VIEWER = ["endpoints_app.view_endpoint", "endpoints_app.use_playground"]
OPERATOR = [*VIEWER, "endpoints_app.operate_endpoint"]
ADMIN = [
    *OPERATOR,
    "endpoints_app.remove_endpoint",
    "endpoints_app.manage_credentials",
    "endpoints_app.manage_policies",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
]
ROLE_PERMISSIONS = {"viewer": VIEWER, "operator": OPERATOR, "admin": ADMIN}


def create_role_groups(apps, schema_editor) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for name in permission_names:
            app_label, codename = name.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_role_groups(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("endpoints_app", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
