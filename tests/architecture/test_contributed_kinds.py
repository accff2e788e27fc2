"""Webhook event names and kinds of e-mail are contributions of the apps that own them: no central
list in the kernel, and no migration to add a kind of e-mail (the outbox's kind column has no
choices; a kind is checked against the registered ones when a message is recorded)."""

from datetime import date

import pytest
from django.apps import apps

from kernel import extensions
from kernel.outbox import message_email, outbox_record
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .test_layers import ROOT


def _owner(contributed: str, field: str) -> str:
    for label, contributions in extensions._registry.items():
        names = [getattr(spec, "name", None) or spec.kind for spec in getattr(contributions, field)]
        if contributed in names:
            return label
    return ""


def test_each_event_and_kind_is_declared_by_the_app_it_belongs_to():
    assert {name: _owner(name, "webhook_events") for name in extensions.webhook_events()} == {
        "task.done": "projects",
        "answer.changed": "gapanalysis",
        "version.approved": "documents",
        "finding.raised": "audits",
        "finding.closed": "audits",
        "register.created": "registers",
        "register.updated": "registers",
        "register.deleted": "registers",
        "readiness.changed": "readiness",
    }
    assert {kind: _owner(kind, "email_kinds") for kind in extensions.email_kinds()} == {
        "monthly_report": "reports",
        "digest": "notifications",
        "invitation": "projects",
        "mention": "projects",
        "review_request": "documents",
    }


def test_the_kernel_names_no_event_and_no_kind():
    # kernel/throttle.py's scopes are not e-mail kinds (one of them is also called "invitation")
    paths = [path for path in (ROOT / "kernel").rglob("*.py") if path.name != "throttle.py"]
    source = "\n".join(path.read_text() for path in paths)
    for name in [*extensions.webhook_events(), *extensions.email_kinds()]:
        assert f'"{name}"' not in source, f"kernel/ names {name!r}: it belongs to the app that owns it"


def test_the_kind_column_has_no_choices_so_a_new_kind_needs_no_migration():
    assert not apps.get_model("notifications", "OutboxMessage")._meta.get_field("kind").choices


@pytest.mark.django_db
def test_an_undeclared_kind_is_refused_and_a_declared_one_rendered_by_its_app():
    user = UserFactory(email="someone@example.com")
    with pytest.raises(ValueError, match="Unknown kind of e-mail"):
        outbox_record(
            recipient=user, subject_type="user", subject_id=user.pk, kind="newsletter", day=date(2026, 12, 1),
            subject="Hello", body_text="Hi",
        )  # fmt: skip
    assert not OutboxMessage.objects.exists()
    message = outbox_record(
        recipient=user, subject_type="user", subject_id=user.pk, kind="digest", day=date(2026, 12, 1),
        subject="Your reminders", body_text="", items={"own": []},
    )  # fmt: skip
    assert str(message) == "Daily reminder digest to someone@example.com (2026-12-01)"
    assert message_email(message).body  # written by notifications' EmailKind.render at sending time
