"""A new project's "what to do next" card on the dashboard: the set-up steps every app declares
(kernel.extensions.SetupStep), each ticked from the data, never by hand, and the card
gone once all are done. All steps are read in one query, however many apps add one."""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kernel.extensions import SetupStep, setup_steps

from .models import Invitation, Membership, Phase, Project, Role


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    hint: str
    url: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def next_item(self) -> ChecklistItem | None:
        return next((item for item in self.items if not item.done), None)


def setup_checklist(*, project: Project) -> Checklist | None:
    """The checklist of the project, or None once every step is done (the card goes)."""
    steps = setup_steps()
    if not steps:
        return None
    flags = {
        f"step_{index}": Case(
            When(step.done(project), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
        for index, step in enumerate(steps)
    }
    row = Project.objects.filter(pk=project.pk).annotate(**flags).values(*flags).get()
    items = [
        ChecklistItem(
            key=step.key,
            title=step.title,
            hint=step.hint,
            url=reverse(step.url_name, kwargs={"project_id": project.pk}),
            done=row[f"step_{index}"],
        )
        for index, step in enumerate(steps)
    ]
    if all(item.done for item in items):
        return None
    return Checklist(items=items)


# The steps `projects` itself contributes (projects/integration.py) ---------------------------


def _team_invited(project) -> Q:
    """Someone was invited (whatever their answer), or the project has a member besides its leads."""
    return Q(Exists(Invitation.objects.filter(project=OuterRef("pk")))) | Q(
        Exists(Membership.objects.filter(project=OuterRef("pk")).exclude(role=Role.LEAD))
    )


def _owners_assigned(project) -> Q:
    """A new project's phases all belong to the lead who created it: done once any phase belongs
    to someone else (or the creator's account is gone)."""
    if project.created_by_id is None:
        return Q(pk__isnull=False)
    others = Phase.objects.filter(project=OuterRef("pk"), owner__isnull=False).exclude(
        owner_id=project.created_by_id
    )
    return Q(Exists(others))


PROJECT_SETUP_STEPS = (
    SetupStep(
        key="invite-members",
        order=10,
        title=_("Invite the team"),
        hint=_("Invite the people who will do the work, each with the role they need."),
        url_name="projects:members",
        done=_team_invited,
    ),
    SetupStep(
        key="phase-owners",
        order=20,
        title=_("Give the phases their owners"),
        hint=_("Every phase starts with you as its owner; hand each one to the person who will drive it."),
        url_name="projects:roadmap",
        done=_owners_assigned,
    ),
)
