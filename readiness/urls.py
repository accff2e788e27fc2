from django.urls import path

from . import views

app_name = "readiness"

# Mounted at projects/<id>/audits/readiness/ (the addresses the readiness pages always had).
urlpatterns = [
    path("", views.page, name="page"),
    path("summary/", views.summary, name="summary"),
]
