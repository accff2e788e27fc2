"""A page that writes to the session, for the outage logging test: the session is saved in the
session middleware, after the view, where an outage is met outside any view."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path


@login_not_required
def touch_session(request):
    request.session["touched"] = True
    return HttpResponse("ok")


urlpatterns = [path("touch-session/", touch_session)]
handler500 = "kernel.outages.server_error"  # as sms_tracker/urls.py
