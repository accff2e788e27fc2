"""URLs of what the registers feed into other parts of the product (issue 23 §2): citing an entry, mounted in
sms_tracker/urls.py under the "registers_feed" namespace."""

from django.urls import path

from . import cite_views

app_name = "registers_feed"

P = "projects/<int:project_id>/registers-feed/"

urlpatterns = [
    path(
        P + "cite/<int:assessment_id>/<int:response_id>/",
        cite_views.cite,
        name="cite",
    ),
]
