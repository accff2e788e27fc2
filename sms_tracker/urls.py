from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from api import account as token_views
from identity.languages import set_language
from kernel import metrics
from kernel.health import healthz
from notifications import views as account_views

# The admin signs in through the site's sign-in page: the same throttling, MFA step and identity
# provider, and no password form of its own when LOCAL_LOGIN_ENABLED=0.
admin.site.login = secure_admin_login(admin.site.login)
# A database or task queue that went away mid-request is a 503, not a 500 (kernel/outages.py).
handler500 = "kernel.outages.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False), name="home"),
    # Sign-in, password pages, MFA and the identity provider (django-allauth; identity).
    path("accounts/", include("identity.urls")),
    path("healthz/", healthz, name="healthz"),
    # The language picker (identity/languages.py) and static/js/app.js's strings in the active language
    # (the sign-in page loads them too). Not cached: one URL answers in every language.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/js/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    # Prometheus metrics: staff, the scraper's token or its network only (kernel/metrics.py).
    path(settings.METRICS_PATH, metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("", include("transfer.urls")),  # before projects.urls: /projects/import/
    path("", include("projects.urls")),
    path("projects/<int:project_id>/gap/", include("gapanalysis.urls")),
    path("projects/<int:project_id>/documents/", include("documents.urls")),
    path("projects/<int:project_id>/audits/readiness/", include("readiness.urls")),
    path("projects/<int:project_id>/audits/", include("audits.urls")),
    path("projects/<int:project_id>/registers/", include("registers.urls")),
    path("projects/<int:project_id>/reports/", include("reports.urls")),
    path("", include("registers.feed_urls")),  # what the registers feed: citing entries as evidence
    path("projects/<int:project_id>/webhooks/", include("webhooks.urls")),
    path("projects/<int:project_id>/connectors/", include("connectors.urls")),
    path("projects/<int:project_id>/ticket-evidence/", include("connectors.evidence.urls")),
    path("projects/<int:project_id>/reminders/", account_views.reminders, name="project_reminders"),
    path("account/notifications/", account_views.notifications, name="notifications"),
    path("account/tokens/", token_views.token_list, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("api/v1/", include("api.urls")),
    path("calendar/<str:token>.ics", account_views.calendar_feed, name="calendar_feed"),
]
