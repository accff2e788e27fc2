"""The lead's webhook pages: endpoints, their delivery log, a ping and a redelivery."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.extensions import webhook_events
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.outages import QUEUE_MESSAGE
from webhooks.models import WebhookDelivery, WebhookEndpoint

from . import services
from .forms import EndpointForm


def _lead_access(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)  # endpoints carry signing secrets: leads only, even to read
    return access


def _endpoint(access, endpoint_id) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id, project=access.project)


def endpoint_list(request, project_id):
    access = _lead_access(request, project_id)
    endpoints = WebhookEndpoint.objects.filter(project=access.project).order_by("id")
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"project": access.project, "endpoints": endpoints, "events": webhook_events()},
    )


def endpoint_create(request, project_id):
    access = _lead_access(request, project_id)
    form = EndpointForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                endpoint = services.endpoint_create(
                    project=access.project,
                    user=request.user,
                    url=data["url"],
                    events=data["events"],
                    description=data["description"],
                    active=data["active"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Webhook added. Copy its signing secret to the receiver."))
                return redirect("webhooks:detail", project_id=access.project.pk, endpoint_id=endpoint.pk)
    return render(
        request, "webhooks/endpoint_form.html", {"project": access.project, "form": form}, status=status
    )


def endpoint_edit(request, project_id, endpoint_id):
    access = _lead_access(request, project_id)
    endpoint = _endpoint(access, endpoint_id)
    form = EndpointForm(request.POST or None, instance=endpoint)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.endpoint_update(
            endpoint=endpoint, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(EndpointForm, current, noun="webhook"),
    )
    if edit.saved:
        messages.success(request, _("Webhook saved."))
        return redirect("webhooks:detail", project_id=access.project.pk, endpoint_id=endpoint.pk)
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"project": access.project, "form": edit.form, "endpoint": endpoint},
        status=edit.status,
    )


def endpoint_detail(request, project_id, endpoint_id):
    access = _lead_access(request, project_id)
    endpoint = _endpoint(access, endpoint_id)
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event").order_by("-id")
    page = Paginator(deliveries, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {"project": access.project, "endpoint": endpoint, "page": page, "events": webhook_events()},
    )


def endpoint_delete(request, project_id, endpoint_id):
    access = _lead_access(request, project_id)
    endpoint = _endpoint(access, endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint, user=request.user)
        messages.success(request, _("Webhook removed."))
        return redirect("webhooks:list", project_id=access.project.pk)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Remove the webhook to %(url)s?") % {"url": endpoint.url},
            "body": _(
                "Nothing more is posted to it, and its delivery log is deleted. This cannot be undone."
            ),
            "confirm_label": _("Remove webhook"),
            "cancel_url": endpoint.get_absolute_url(),
        },
    )


@require_POST
def endpoint_ping(request, project_id, endpoint_id):
    access = _lead_access(request, project_id)
    endpoint = _endpoint(access, endpoint_id)
    delivery = services.endpoint_ping(endpoint=endpoint, user=request.user)
    if getattr(delivery, "queue_error", None):
        return _not_queued(request, access, endpoint, QUEUE_MESSAGE)
    messages.success(request, _("A ping was queued; its delivery appears below."))
    return redirect(endpoint)


def _not_queued(request, access, endpoint, message):
    return render(
        request,
        "webhooks/refused.html",
        {"project": access.project, "endpoint": endpoint, "message": message},
        status=503,
    )


@require_POST
def delivery_redeliver(request, project_id, endpoint_id, delivery_id):
    access = _lead_access(request, project_id)
    endpoint = _endpoint(access, endpoint_id)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, endpoint=endpoint)
    try:
        delivery = services.delivery_redeliver(delivery=delivery, user=request.user)
    except ValidationError as error:
        return render(
            request,
            "webhooks/refused.html",
            {"project": access.project, "endpoint": endpoint, "message": " ".join(error.messages)},
            status=409,
        )
    if getattr(delivery, "queue_error", None):
        return _not_queued(
            request,
            access,
            endpoint,
            _("Could not queue this now: the delivery waits and is sent as soon as the task queue is back."),
        )
    messages.success(request, _("The delivery was queued again."))
    return redirect(endpoint)
