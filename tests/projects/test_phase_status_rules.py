import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Phase, PhaseStatus

pytestmark = pytest.mark.django_db


def _update(phase, user, **fields):
    phase.refresh_from_db()
    return services.phase_update(phase=phase, user=user, expected_version=phase.version, **fields)


def test_a_phase_cannot_be_done_while_an_earlier_mandatory_phase_is_open(world):
    phase = world.project.phases.get(key="5")
    with pytest.raises(ValidationError) as error:
        _update(phase, world.user("lead"), status=PhaseStatus.DONE, is_lead=True)
    assert "Earlier mandatory phases are not done" in str(error.value)
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.NOT_STARTED


def test_the_lead_overrides_the_order_with_a_reason_that_is_recorded(world, progress_refresh_inline):
    phase = world.project.phases.get(key="5")
    _update(
        phase,
        world.user("lead"),
        status=PhaseStatus.DONE,
        is_lead=True,
        override_reason="Audit brought forward",
    )
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.DONE
    assert phase.override_reason == "Audit brought forward"
    assert phase.override_by == world.user("lead") and phase.override_at is not None
    assert phase.actual_start is not None and phase.actual_end is not None
    assert phase.progress == 100


def test_a_phase_owner_who_is_not_lead_cannot_override(world):
    phase = world.project.phases.get(key="5")
    Phase.objects.filter(pk=phase.pk).update(owner=world.user("contributor"))
    with pytest.raises(ValidationError) as error:
        _update(phase, world.user("contributor"), status=PhaseStatus.DONE, override_reason="please")
    assert "Only the lead" in str(error.value)


def test_done_is_allowed_once_earlier_mandatory_phases_are_done_and_optional_ones_skipped(world):
    lead = world.user("lead")
    for key in ("1",):
        _update(world.project.phases.get(key=key), lead, status=PhaseStatus.DONE, is_lead=True)
    for key in ("2", "3"):
        _update(world.project.phases.get(key=key), lead, status=PhaseStatus.SKIPPED, is_lead=True)
    phase = _update(world.project.phases.get(key="4"), lead, status=PhaseStatus.DONE, is_lead=True)
    assert phase.status == PhaseStatus.DONE and phase.override_reason == ""


def test_only_optional_phases_can_be_skipped(world):
    with pytest.raises(ValidationError) as error:
        _update(
            world.project.phases.get(key="4"), world.user("lead"), status=PhaseStatus.SKIPPED, is_lead=True
        )
    assert "Only the optional phases" in str(error.value)


def test_phase_edit_view_shows_the_order_rule_as_a_form_error(world, client):
    client.force_login(world.user("lead"))
    phase = world.project.phases.get(key="6")
    response = client.post(
        f"/projects/{world.project.pk}/phases/{phase.pk}/edit/",
        {
            "owner": world.user("lead").pk,
            "status": "done",
            "planned_start": phase.planned_start.isoformat(),
            "planned_end": phase.planned_end.isoformat(),
            "version": phase.version,
        },
    )
    assert response.status_code == 422
    assert "Earlier mandatory phases are not done" in response.content.decode()
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.NOT_STARTED
