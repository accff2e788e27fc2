from projects.models import Phase
from tests.factories import make_audit, make_task


def test_auditor_owning_a_phase_in_scope_is_warned_on_the_audit_page(world, client):
    auditor = world.user("auditor")
    Phase.objects.filter(project=world.project, key="5").update(owner=auditor)  # 7.1–7.5, 9.2, 10.1
    audit = make_audit(
        world.project,
        user=world.user("lead"),
        lead_auditor=auditor,
        team=[auditor],
        scope=["9.2", "8.1"],
        independence_override_reason="Only auditor trained for 9.2 this year.",
    )
    client.force_login(world.user("viewer"))
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Only auditor trained for 9.2 this year." in page
    assert "auditor audits “Internal audit” but owns phase 5 “Put the support procedures in place”" in page
    assert "audited clause 9.2." in page


def test_auditor_with_open_tasks_in_scope_is_warned_in_the_readiness_gate(world, client):
    auditor = world.user("auditor")
    make_task(world.project, phase=world.project.phases.get(key="6"), assignee=auditor)
    make_audit(world.project, user=world.user("lead"), lead_auditor=auditor, team=[auditor], scope=["8.6.1"])
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/audits/readiness/").content.decode()
    assert "owns 1 open task in phase 6 “Document the service management processes”" in page


def test_no_warning_when_the_auditor_owns_nothing_in_scope(world, client):
    auditor = world.user("auditor")
    Phase.objects.filter(project=world.project, key="8").update(owner=auditor)  # 7.2–7.4
    make_task(world.project, phase=world.project.phases.get(key="5"), assignee=auditor, status="done")
    audit = make_audit(
        world.project, user=world.user("lead"), lead_auditor=auditor, team=[auditor], scope=["8.1"]
    )
    client.force_login(world.user("viewer"))
    assert "independence-warnings" not in client.get(audit.get_absolute_url()).content.decode()


def test_auditor_owning_a_document_in_scope_is_warned(world, client):
    from tests.factories import make_document

    auditor = world.user("auditor")
    make_document(
        world.project,
        code="PRC-07",
        title="Incident procedure",
        owner=auditor,
        clauses="8.6.1",
        status="approved",
    )
    make_document(
        world.project,
        code="PRC-08",
        title="Change procedure",
        owner=auditor,
        clauses="8.5.1.1",
        status="approved",
    )
    audit = make_audit(
        world.project, user=world.user("lead"), lead_auditor=auditor, team=[auditor], scope=["8.6.1", "8.6.2"]
    )
    client.force_login(world.user("lead"))
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "owns document PRC-07 “Incident procedure”, which covers audited clause 8.6.1." in page
    assert "PRC-08" not in page


def test_certification_audits_are_not_checked(world, client):
    lead = world.user("lead")  # owns every phase by default and transcribes the certification body's audit
    audit = make_audit(world.project, user=lead, audit_type="stage1", scope=["9.2"])
    client.force_login(lead)
    assert "independence-warnings" not in client.get(audit.get_absolute_url()).content.decode()
