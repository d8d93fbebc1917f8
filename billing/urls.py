from django.urls import path

from billing.views import costs, exclusions, notifications, overview, policies, usage, warnings

app_name = "billing"

urlpatterns = [
    path("costs/", costs.costs, name="costs"),
    path("costs/export.csv", costs.costs_csv, name="costs_csv"),
    path("usage/", usage.usage, name="usage"),
    path("usage/export.csv", usage.usage_csv, name="usage_csv"),
    path("policies/", policies.policy_list, name="policies"),
    path("policies/dry-run/", policies.dry_run_all, name="dry_run_all"),
    path("policies/new/<slug:kind>/", policies.policy_create, name="policy_create"),
    path("policies/<int:pk>/", policies.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/dry-run/", policies.policy_dry_run, name="policy_dry_run"),
    path("policies/<int:pk>/toggle/", policies.policy_toggle, name="policy_toggle"),
    path("policies/<int:pk>/delete/", policies.policy_delete, name="policy_delete"),
    path("exclusions/", exclusions.exclusion_list, name="exclusions"),
    path("exclusions/new/", exclusions.exclusion_create, name="exclusion_create"),
    path("exclusions/<int:pk>/end/", exclusions.exclusion_end, name="exclusion_end"),
    path("warnings/<int:pk>/keep-running/", warnings.keep_running, name="keep_running"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/bell/", notifications.notification_bell, name="notification_bell"),
    path("savings/", overview.savings, name="savings"),
    path("forgotten/<int:pk>/pause/", overview.pause_forgotten, name="pause_forgotten"),
]
