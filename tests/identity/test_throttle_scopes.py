"""Throttle scopes are contributions of the apps that count them: no central list in the kernel,
no migration to add one (the scope column has no choices), an undeclared scope is refused."""

from datetime import timedelta

import pytest
from django.apps import apps

from identity.models import ThrottleEvent
from kernel import extensions, throttle
from tests.architecture.test_layers import ROOT
from tests.factories import UserFactory


def test_each_scope_is_declared_by_the_app_that_counts_it():
    owners = {
        spec.scope: label
        for label, contributions in extensions._registry.items()
        for spec in contributions.throttle_scopes
    }
    assert owners == {"second_factor": "identity", "invitation": "projects"}
    assert extensions.throttle_scopes()["second_factor"] == "Wrong second-factor code or security key"


def test_the_kernel_names_no_scope_and_the_column_has_no_choices():
    source = (ROOT / "kernel" / "throttle.py").read_text()
    for scope in extensions.throttle_scopes():
        assert f'"{scope}"' not in source
    assert not apps.get_model("identity", "ThrottleEvent")._meta.get_field("scope").choices


@pytest.mark.django_db
def test_an_undeclared_scope_is_refused_and_a_declared_one_counted_and_labelled():
    user = UserFactory()
    with pytest.raises(ValueError, match="Unknown throttle scope"):
        throttle.record(throttle.Limit("newsletter", per_user=1, window=timedelta(hours=1)), user_id=user.pk)
    assert not ThrottleEvent.objects.exists()

    limit = throttle.Limit("invitation", per_user=1, window=timedelta(hours=1))
    throttle.record(limit, user_id=user.pk)
    assert throttle.retry_after(limit, user_id=user.pk) is not None
    assert str(ThrottleEvent.objects.get()).startswith("Invitation sent: user")
