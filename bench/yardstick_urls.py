"""The page benchmark's yardsticks, beside every URL of the product (bench/yardstick_settings.py).

* `/_yardstick/form/`: Django's own `LoginView` — a bare `AuthenticationForm` page through the
  project's middleware and template engine (context processors included), no base template.
* `/_yardstick/projects/<id>/list/`: a plain 25-row list of the project's tasks (a Django `ListView`
  with `paginate_by=25`, one `select_related`), logged-in users only — what a list page costs
  before the product's layout, filters and access rules.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from django.views.generic import ListView

from projects.models import Task


class PlainList(LoginRequiredMixin, ListView):
    template_name = "yardstick/list.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            Task.objects.filter(project_id=self.kwargs["project_id"])
            .select_related("assignee")
            .order_by("due_date", "pk")
        )


urlpatterns = [
    path("_yardstick/form/", LoginView.as_view(template_name="yardstick/form.html"), name="yardstick_form"),
    path("_yardstick/projects/<int:project_id>/list/", PlainList.as_view(), name="yardstick_list"),
    path("", include("sms_tracker.urls")),
]
