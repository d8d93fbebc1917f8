"""The endpoint registry's pages, under /endpoints/ (URL namespace "endpoints")."""

from django.urls import path

from endpoints_app.views import (
    actions,
    audit,
    catalog,
    credentials,
    detail,
    editing,
    endpoint_list,
    namespaces,
    observability,
    operations,
)

app_name = "endpoints"

urlpatterns = [
    path("", endpoint_list.endpoint_list, name="list"),
    path("live/", endpoint_list.endpoint_list_live, name="list_live"),
    path("new/", editing.endpoint_create, name="create"),
    path("new/hardware/", editing.hardware_field, name="hardware_field"),
    path("new/name/", editing.suggest_name, name="suggest_name"),
    path("<int:pk>/", detail.endpoint_detail, name="detail"),
    path("<int:pk>/live/", detail.endpoint_live, name="detail_live"),
    path("<int:pk>/analytics/", observability.endpoint_analytics_tab, name="analytics"),
    path("<int:pk>/logs/", observability.endpoint_logs_tab, name="logs"),
    path("<int:pk>/edit/", editing.endpoint_update, name="update"),
    path("<int:pk>/clone/", editing.endpoint_clone, name="clone"),
    path("<int:pk>/pause/", actions.pause, name="pause"),
    path("<int:pk>/resume/", actions.resume, name="resume"),
    path("<int:pk>/health-route/", actions.set_health_route, name="set_health_route"),
    path("<int:pk>/scale-to-zero/", actions.scale_to_zero, name="scale_to_zero"),
    path("<int:pk>/delete/", actions.delete, name="delete"),
    path("operations/<int:pk>/", operations.operation_status, name="operation"),
    path("catalog/", catalog.catalog_page, name="catalog"),
    path("catalog/refresh/", catalog.refresh_catalog, name="refresh_catalog"),
    path("catalog/recipes/<str:public_id>/deploy/", catalog.deploy_recipe, name="deploy_recipe"),
    path("namespaces/", namespaces.namespace_list, name="namespaces"),
    path("namespaces/<int:pk>/refresh/", namespaces.refresh_namespace, name="refresh_namespace"),
    path("namespaces/<int:pk>/hardware/", namespaces.refresh_hardware, name="refresh_hardware"),
    path("credentials/", credentials.credential_list, name="credentials"),
    path("credentials/<int:pk>/replace/", credentials.replace_credential, name="replace_credential"),
    path("credentials/<int:pk>/remove/", credentials.remove_credential, name="remove_credential"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/export.csv", audit.audit_csv, name="audit_csv"),
]
