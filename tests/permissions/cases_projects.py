from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.attachments import attachment_add
from projects.models import Invitation, Membership, Phase, TaskComment
from tests.factories import UserFactory, make_task, pdf_upload
from tests.permissions.matrix import MEMBERS, ROLES, Case, everyone_reads, only, public, signed_in


def P(w):
    return f"/projects/{w.project.pk}/"


def task(w):
    return w.obj("task", lambda w: make_task(w.project, title="Matrix task", assignee=w.user("contributor")))


def task_of(role):
    return lambda w: w.obj(
        f"task-{role}", lambda w: make_task(w.project, title=f"Task of {role}", assignee=w.user(role))
    )


def owned_phase(w):
    def build(w):
        phase = w.project.phases.get(key="5")
        Phase.objects.filter(pk=phase.pk).update(owner=w.user("contributor"))
        phase.refresh_from_db()
        return phase

    return w.obj("owned-phase", build)


def membership(role):
    return lambda w: Membership.objects.get(project=w.project, user=w.user(role))


def invitation(w):
    """A pending invitation of someone outside the matrix roles: nobody in the matrix may answer it."""
    return w.obj(
        "invitation",
        lambda w: Invitation.objects.create(
            project=w.project,
            user=UserFactory(username="invitee"),
            email="invitee@example.test",
            role="viewer",
            invited_by=w.user("lead"),
        ),
    )


def join_invitation(w):
    """An invitation that made a new (inactive) account: it is answered through the e-mail's link."""
    from projects.invitations import invitation_create

    return w.obj(
        "join-invitation",
        lambda w: invitation_create(
            project=w.project, email="joiner@example.test", role="viewer", user=w.user("lead")
        ),
    )


def join_url(w):
    from allauth.account.forms import default_token_generator

    invitation = join_invitation(w)
    return f"/invitations/{invitation.pk}/join/{default_token_generator.make_token(invitation.user)}/"


def milestone_toggle_url(w):
    phase = w.project.phases.get(key="10")
    return P(w) + f"phases/{phase.pk}/milestones/{phase.milestones.first().pk}/toggle/"


def project_data(w):
    today = timezone.localdate()
    return {
        "name": "Renamed",
        "organisation": "Org",
        "standard_edition": "ISO/IEC 20000-1:2018",
        "start_date": today.isoformat(),
        "target_certification_date": (today + timedelta(days=200)).isoformat(),
        "version": w.project.version,
    }


def phase_data(w):
    phase = owned_phase(w)
    return {
        "owner": w.user("contributor").pk,
        "status": "in_progress",
        "planned_start": phase.planned_start.isoformat(),
        "planned_end": phase.planned_end.isoformat(),
        "version": phase.version,
    }


def task_data(w):
    return {
        "title": "New task",
        "phase": w.project.phases.get(key="6").pk,
        "priority": "medium",
        "status": "open",
    }


def comment_of(role):
    """A comment by the member in `role` on the matrix task: only its author may change it."""
    return lambda w: w.obj(
        f"comment-{role}",
        lambda w: TaskComment.objects.create(task=task(w), author=w.user(role), body=f"Note by {role}"),
    )


def attachment_of(role):
    return lambda w: w.obj(
        f"attachment-{role}", lambda w: attachment_add(task=task(w), user=w.user(role), upload=pdf_upload())
    )


def T(w):
    return P(w) + f"tasks/{task(w).pk}/"


def bulk_data(*, confirm: bool):
    def data(w):
        tasks = [task(w), task_of("viewer")(w)]
        payload = {
            "action": "assign",
            "assignee": w.user("auditor").pk,
            "task": [t.pk for t in tasks],
            "next": P(w) + "tasks/?status=all",
        }
        if confirm:
            payload |= {"confirm": "1", **{f"version_{t.pk}": t.version for t in tasks}}
        return payload

    return data


# Who may discuss a task: lead, contributor, auditor, and whoever it is assigned to.
DISCUSSERS = ("lead", "contributor", "auditor")

CASES = [
    Case("projects:list", lambda w: "/projects/", signed_in()),
    Case("projects:create", lambda w: "/projects/new/", signed_in()),
    Case(
        "projects:create",
        lambda w: "/projects/new/",
        signed_in(302),
        method="post",
        data=lambda w: {k: v for k, v in project_data(w).items() if k != "version"},
    ),
    Case("projects:my_work", lambda w: "/my-work/", signed_in()),
    Case("projects:dashboard", lambda w: P(w), everyone_reads()),
    Case("projects:edit", lambda w: P(w) + "edit/", only("lead", ok=200)),
    Case("projects:edit", lambda w: P(w) + "edit/", only("lead"), method="post", data=project_data),
    Case("projects:history", lambda w: P(w) + "history/", everyone_reads()),
    Case("projects:members", lambda w: P(w) + "members/", everyone_reads()),
    Case(
        "projects:members",
        lambda w: P(w) + "members/",
        only("lead"),
        method="post",
        data=lambda w: {"identifier": UserFactory(username="newcomer").email, "role": "viewer"},
    ),
    Case(
        "projects:invitation_withdraw",
        lambda w: P(w) + f"members/invitations/{invitation(w).pk}/withdraw/",
        only("lead"),
        method="post",
    ),
    Case("projects:invitations", lambda w: "/invitations/", signed_in()),
    Case(
        "projects:invitation_accept",
        lambda w: f"/invitations/{invitation(w).pk}/accept/",
        {"anonymous": 302, "outsider": 404, **{r: 404 for r in MEMBERS}},
        method="post",
        label="invitee-only",
    ),
    Case("projects:invitation_join", join_url, public(), label="new-account"),
    Case(
        "projects:invitation_join",
        join_url,
        public(302),
        method="post",
        data=lambda w: {
            "answer": "accept",
            "name-first_name": "Joiner",
            "new_password1": "a-long-pass-42",
            "new_password2": "a-long-pass-42",
        },
        label="new-account",
        signs_in=True,
    ),
    Case(
        "projects:invitation_join",
        lambda w: f"/invitations/{join_invitation(w).pk}/join/bad-token/",
        {r: 404 for r in ROLES},
        label="bad-token",
    ),
    Case(
        "projects:invitation_join",
        lambda w: f"/invitations/{invitation(w).pk}/join/bad-token/",
        {r: 404 for r in ROLES},
        method="post",
        data=lambda w: {"answer": "accept"},
        label="active-account",
    ),
    Case(
        "projects:invitation_decline",
        lambda w: f"/invitations/{invitation(w).pk}/decline/",
        {"anonymous": 302, "outsider": 404, **{r: 404 for r in MEMBERS}},
        method="post",
        label="invitee-only",
    ),
    Case(
        "projects:member_role",
        lambda w: P(w) + f"members/{membership('viewer')(w).pk}/role/",
        only("lead"),
        method="post",
        data=lambda w: {"role": "auditor"},
    ),
    Case(
        "projects:member_remove",
        lambda w: P(w) + f"members/{membership('auditor')(w).pk}/remove/",
        only("lead", ok=200),
    ),
    Case(
        "projects:member_remove",
        lambda w: P(w) + f"members/{membership('auditor')(w).pk}/remove/",
        only("lead"),
        method="post",
    ),
    Case("projects:roadmap", lambda w: P(w) + "roadmap/", everyone_reads()),
    Case("projects:phase_detail", lambda w: P(w) + f"phases/{owned_phase(w).pk}/", everyone_reads()),
    Case(
        "projects:phase_edit",
        lambda w: P(w) + f"phases/{owned_phase(w).pk}/edit/",
        only("lead", "contributor", ok=200),
        label="owner",
    ),
    Case(
        "projects:phase_edit",
        lambda w: P(w) + f"phases/{w.project.phases.get(key='7').pk}/edit/",
        only("lead", ok=200),
        label="not-owner",
    ),
    Case(
        "projects:phase_edit",
        lambda w: P(w) + f"phases/{owned_phase(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=phase_data,
    ),
    Case(
        "projects:milestone_toggle",
        lambda w: milestone_toggle_url(w),
        only("lead"),
        method="post",
    ),
    Case("projects:task_list", lambda w: P(w) + "tasks/", everyone_reads()),
    Case("projects:task_create", lambda w: P(w) + "tasks/new/", only("lead", "contributor", ok=200)),
    Case(
        "projects:task_create",
        lambda w: P(w) + "tasks/new/",
        only("lead", "contributor"),
        method="post",
        data=task_data,
    ),
    Case("projects:task_detail", lambda w: P(w) + f"tasks/{task(w).pk}/", everyone_reads()),
    Case(
        "projects:task_edit",
        lambda w: P(w) + f"tasks/{task(w).pk}/edit/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "projects:task_edit",
        lambda w: P(w) + f"tasks/{task(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {**task_data(w), "version": task(w).version},
    ),
    Case("projects:task_row", lambda w: P(w) + f"tasks/{task(w).pk}/row/", everyone_reads(), htmx=True),
    Case(
        "projects:task_complete",
        lambda w: P(w) + f"tasks/{task_of('auditor')(w).pk}/complete/",
        only("lead", "contributor", "auditor"),
        method="post",
        label="auditor-own",
    ),
    Case(
        "projects:task_complete",
        lambda w: P(w) + f"tasks/{task_of('viewer')(w).pk}/complete/",
        only("lead", "contributor", "viewer"),
        method="post",
        label="viewer-own",
    ),
    Case(
        "projects:task_delete",
        lambda w: P(w) + f"tasks/{task(w).pk}/delete/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "projects:task_delete",
        lambda w: P(w) + f"tasks/{task(w).pk}/delete/",
        only("lead", "contributor"),
        method="post",
    ),
    # The lead's bulk changes: a summary first (200), then the confirmed change (302).
    Case(
        "projects:task_bulk",
        lambda w: P(w) + "tasks/bulk/",
        only("lead", ok=200),
        method="post",
        data=bulk_data(confirm=False),
        label="summary",
    ),
    Case(
        "projects:task_bulk",
        lambda w: P(w) + "tasks/bulk/",
        only("lead"),
        method="post",
        data=bulk_data(confirm=True),
        label="confirm",
    ),
    # Comments and files on a task: members who may act post; every member reads and downloads.
    Case(
        "projects:comment_add",
        lambda w: T(w) + "comments/",
        only(*DISCUSSERS),
        method="post",
        data=lambda w: {"body": "Looks good, @lead."},
    ),
    Case(
        "projects:comment_add",
        lambda w: P(w) + f"tasks/{task_of('viewer')(w).pk}/comments/",
        only(*DISCUSSERS, "viewer"),
        method="post",
        data=lambda w: {"body": "Done on my side."},
        label="viewer-assignee",
    ),
    Case(
        "projects:comment_edit",
        lambda w: T(w) + f"comments/{comment_of('contributor')(w).pk}/edit/",
        only("contributor", ok=200),
    ),
    Case(
        "projects:comment_edit",
        lambda w: T(w) + f"comments/{comment_of('contributor')(w).pk}/edit/",
        only("contributor"),
        method="post",
        data=lambda w: {"body": "Edited note", "version": comment_of("contributor")(w).version},
    ),
    Case(
        "projects:comment_edit",
        lambda w: T(w) + f"comments/{comment_of('lead')(w).pk}/edit/",
        only("lead", ok=200),
        label="lead-own",
    ),
    Case(
        "projects:comment_delete",
        lambda w: T(w) + f"comments/{comment_of('auditor')(w).pk}/delete/",
        only("auditor", ok=200),
    ),
    Case(
        "projects:comment_delete",
        lambda w: T(w) + f"comments/{comment_of('auditor')(w).pk}/delete/",
        only("auditor"),
        method="post",
    ),
    Case(
        "projects:attachment_add",
        lambda w: T(w) + "attachments/",
        only(*DISCUSSERS),
        method="post",
        data=lambda w: {
            "file": SimpleUploadedFile("notes.txt", b"Meeting notes\n", content_type="text/plain")
        },
    ),
    Case(
        "projects:attachment_download",
        lambda w: T(w) + f"attachments/{attachment_of('contributor')(w).pk}/",
        everyone_reads(),
    ),
    Case(
        "projects:attachment_delete",
        lambda w: T(w) + f"attachments/{attachment_of('contributor')(w).pk}/delete/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "projects:attachment_delete",
        lambda w: T(w) + f"attachments/{attachment_of('contributor')(w).pk}/delete/",
        only("lead", "contributor"),
        method="post",
    ),
]
