"""The lead's webhook pages: add, change, ping, redeliver, remove; bad input gets a 4xx."""

import pytest

from kernel.webhook_delivery import DeliveryStatus
from tests.factories import make_webhook, make_webhook_delivery
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client, world):
    client.force_login(world.user("lead"))
    return client


def W(world):
    return f"/projects/{world.project.pk}/webhooks/"


def test_the_empty_list_says_what_to_do(lead, world):
    page = lead.get(W(world)).content.decode()
    assert "No webhooks yet" in page and "Add webhook" in page


def test_adding_a_webhook_lands_on_its_page_with_the_secret(lead, world):
    response = lead.post(
        W(world) + "new/",
        {"url": "https://itsm.example.com/hooks/sms", "events": ["task.done"], "active": "on"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == endpoint.get_absolute_url()
    page = lead.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret in page and "Nothing delivered yet" in page
    assert endpoint.created_by == world.user("lead") and endpoint.events == ["task.done"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"url": "https://itsm.example.com/hooks", "events": []}, "This field is required"),
        ({"url": "http://10.0.0.5/hook", "events": ["task.done"]}, "internal address"),
        ({"url": "not a url", "events": ["task.done"]}, "Enter a valid URL"),
        ({"url": "https://itsm.example.com/", "events": ["task.exploded"]}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(lead, world, data, message):
    response = lead.post(W(world) + "new/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_stale_edit_is_refused_with_the_saved_state(lead, world):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    data = {"url": "https://one.example.com/", "events": ["task.done"], "active": "on", "version": "1"}
    assert lead.post(endpoint.get_absolute_url() + "edit/", data).status_code == 302
    response = lead.post(endpoint.get_absolute_url() + "edit/", {**data, "url": "https://two.example.com/"})
    assert response.status_code == 409
    endpoint.refresh_from_db()
    assert endpoint.url == "https://one.example.com/"


def test_a_new_secret_replaces_the_old_one(lead, world):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    old = endpoint.secret
    lead.post(
        endpoint.get_absolute_url() + "edit/",
        {"url": endpoint.url, "events": ["task.done"], "active": "on", "version": "1", "new_secret": "on"},
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old and len(endpoint.secret) == 64


def test_a_ping_is_queued_for_that_endpoint_alone(lead, world):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    make_webhook(world.project, user=world.user("lead"), url="https://other.example.com/")
    assert lead.post(endpoint.get_absolute_url() + "ping/").status_code == 302
    (delivery,) = WebhookDelivery.objects.select_related("event")
    assert delivery.endpoint == endpoint and delivery.event.name == "ping"
    assert "ping" in lead.get(endpoint.get_absolute_url()).content.decode()


def test_redelivering_a_delivered_event_is_refused(lead, world):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    delivery = make_webhook_delivery(endpoint, status=DeliveryStatus.DELIVERED)
    response = lead.post(endpoint.get_absolute_url() + f"deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 409
    assert "Only a failed delivery" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_delivery_of_another_endpoint_is_not_found(lead, world):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    other = make_webhook(world.project, user=world.user("lead"), url="https://other.example.com/")
    delivery = make_webhook_delivery(other)
    response = lead.post(endpoint.get_absolute_url() + f"deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 404


def test_removing_asks_first_then_removes(lead, world):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    confirm = lead.get(endpoint.get_absolute_url() + "delete/")
    assert confirm.status_code == 200 and "Remove webhook" in confirm.content.decode()
    assert WebhookEndpoint.objects.exists()
    assert lead.post(endpoint.get_absolute_url() + "delete/").status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_is_paginated_with_constant_queries(lead, world, django_assert_max_num_queries):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    for index in range(60):
        make_webhook_delivery(endpoint, key=f"k{index}")
    with django_assert_max_num_queries(12):
        page = lead.get(endpoint.get_absolute_url()).content.decode()
    assert "Page 1 of 3" in page
