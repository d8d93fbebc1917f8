from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("endpoints/", include("endpoints_app.urls")),
    path("playground/", include("playground_app.urls")),
    path("billing/", include("billing.urls")),
    # The accounts pages the console uses. Not Django's password reset: it would be public, and the reset link
    # it mails goes to the console backend (the server's log) unless email is set up. Admins reset passwords.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "dashboard.error_pages.bad_request"
handler403 = "dashboard.error_pages.permission_denied"
handler404 = "dashboard.error_pages.page_not_found"
handler500 = "dashboard.error_pages.server_error"
