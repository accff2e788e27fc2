from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from projects import services
from projects.models import Membership, Priority, Role, Task


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("pw-for-tests-1")


def make_project(*, lead=None, name="Test project", days=300, **fields):
    """A project through the real service, so it has its fourteen phases."""
    lead = lead or UserFactory()
    today = timezone.localdate()
    return services.project_create(
        user=lead,
        name=name,
        organisation=fields.pop("organisation", "Example Org"),
        start_date=fields.pop("start_date", today),
        target_certification_date=fields.pop("target_certification_date", today + timedelta(days=days)),
        **fields,
    )


def add_member(project, user, role=Role.CONTRIBUTOR):
    return Membership.objects.create(project=project, user=user, role=role)


def make_task(project, *, phase=None, assignee=None, due_in=None, **fields):
    phase = phase or project.phases.get(key="5")
    due_date = (
        timezone.localdate() + timedelta(days=due_in) if due_in is not None else fields.pop("due_date", None)
    )
    return Task.objects.create(
        project=project,
        phase=phase,
        title=fields.pop("title", "A task"),
        assignee=assignee,
        due_date=due_date,
        priority=fields.pop("priority", Priority.MEDIUM),
        **fields,
    )
