from django.contrib import admin
from django.urls import include, path

from dashboard import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("healthz", views.healthz, name="healthz"),
    path("endpoints/", include("endpoints_app.urls")),
    path("playground/", include("playground_app.urls")),
    path("billing/", include("endpoints_app.billing.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
