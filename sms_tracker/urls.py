from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .api import account as token_views
from .notifications import views as account_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("healthz/", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("sms_tracker.transfer.urls")),  # before projects.urls: /projects/import/
    path("", include("projects.urls")),
    path("projects/<int:project_id>/gap/", include("gapanalysis.urls")),
    path("projects/<int:project_id>/documents/", include("documents.urls")),
    path("projects/<int:project_id>/audits/", include("audits.urls")),
    path("projects/<int:project_id>/reports/", include("sms_tracker.reports.urls")),
    path("projects/<int:project_id>/webhooks/", include("sms_tracker.webhooks.urls")),
    path("projects/<int:project_id>/reminders/", account_views.reminders, name="project_reminders"),
    path("account/notifications/", account_views.notifications, name="notifications"),
    path("account/tokens/", token_views.token_list, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("api/v1/", include("sms_tracker.api.urls")),
    path("calendar/<str:token>.ics", account_views.calendar_feed, name="calendar_feed"),
]
