"""Invitations: the lead offers a role, the person accepts or declines it in the app.

Nobody becomes a member without accepting. The lead invites by e-mail address only and sees the
same answer whether or not the address belongs to an account, so the members form tells nobody
which accounts exist. An address without an account gets one, inactive and without a password,
and a link to answer the invitation (`invitation_join`): accepting there chooses the password and
activates the account; until then it cannot sign in. An existing account gets a note that an
invitation waits. Both go through the outbox, one message per invitation.

One person sends at most INVITATIONS_PER_HOUR invitations (counted in PostgreSQL,
kernel/throttle.py); past it `InvitationLimited` and nothing is created.

Inviting the same address twice (a double-click, two leads at once) gives one invitation: an
advisory lock on the address serialises the two requests (PostgreSQL), and a unique constraint
on the pending invitation backs it up.
"""

import hashlib
import re
from datetime import timedelta

from allauth.account.forms import default_token_generator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel import pagecache, throttle

from . import activity
from .models import Invitation, InvitationStatus, Membership, Project, Role

User = get_user_model()


SCOPE = "invitation"  # the throttle scope projects contributes (projects/integration.py)


class InvitationLimited(ValidationError):
    """The inviter sent INVITATIONS_PER_HOUR invitations within the hour (answered with 429)."""


def _limit() -> throttle.Limit:
    return throttle.Limit(scope=SCOPE, per_user=settings.INVITATIONS_PER_HOUR, window=timedelta(hours=1))


def awaiting_first_acceptance(user) -> bool:
    """An account made by an invitation and not yet activated by accepting one."""
    return not user.is_active and not user.has_usable_password() and user.last_login is None


def _unique_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]+", "", email.split("@")[0].lower())[:30] or "member"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _lock_address(email: str) -> None:
    """Serialise everything done for one address until the transaction ends (PostgreSQL)."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(email.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def join_link(invitation: Invitation) -> str:
    """The answer page of a new account's invitation. The token is the password-reset kind: it
    works until the password is chosen (it changes with the password) or PASSWORD_RESET_TIMEOUT."""
    token = default_token_generator.make_token(invitation.user)
    return settings.SITE_URL + reverse("projects:invitation_join", args=[invitation.pk, token])


def _notify(invitation: Invitation, *, inviter, new_account: bool) -> None:
    from kernel.i18n import in_language_of

    with in_language_of(invitation.user):  # the invited person's language (English for a new account)
        _notify_message(invitation, inviter=inviter, new_account=new_account)


def _notify_message(invitation: Invitation, *, inviter, new_account: bool) -> None:
    from kernel.outbox import enqueue_send, outbox_record

    project, invited = invitation.project, invitation.user
    name = inviter.get_full_name() or inviter.get_username()
    role = invitation.get_role_display().lower()
    answer_url = settings.SITE_URL + reverse("projects:invitations")
    if new_account and not settings.LOCAL_LOGIN_ENABLED:
        how = _(
            "Accept or decline the invitation here:\n%(join_url)s\n\nOnce you have accepted: "
            "Sign in with your organisation's account (%(provider)s) here:\n"
            "%(login_url)s\n"
        ) % {
            "join_url": join_link(invitation),
            "provider": settings.OIDC_PROVIDER_NAME,
            "login_url": settings.SITE_URL + reverse("account_login"),
        }
    elif new_account:
        how = _(
            "Your username is %(username)s. Accept (and choose your password) or decline here:\n"
            "%(join_url)s\n\nThe link works for a few days; your account can sign in once "
            "you have accepted.\n"
        ) % {"username": invited.username, "join_url": join_link(invitation)}
    else:
        how = _("Sign in and accept or decline it here:\n%(url)s\n") % {"url": answer_url}
    message = outbox_record(
        recipient=invited,
        subject_type="invitation",
        subject_id=invitation.pk,
        kind="invitation",
        day=timezone.localdate(),
        subject=_("%(name)s invited you to “%(project)s” on SMS Tracker")
        % {"name": name, "project": project.name},
        body_text=_(
            "Hello,\n\n%(name)s invites you to the ISO/IEC 20000-1 project “%(project)s” "
            "(%(organisation)s) as %(role)s. You join the project only if you accept.\n\n%(how)s"
        )
        % {
            "name": name,
            "project": project.name,
            "organisation": project.organisation,
            "role": role,
            "how": how,
        },
    )
    transaction.on_commit(lambda: enqueue_send(message.pk))


@transaction.atomic
def invitation_create(*, project: Project, email: str, role: str, user) -> Invitation:
    """Invite an address to the project; the pending invitation already there if there is one."""
    email = User.objects.normalize_email(email.strip()).lower()
    limit = _limit()
    throttle.lock_account(user.pk)  # the inviter's count, one request after the other
    _lock_address(email)
    invited = User.objects.filter(email__iexact=email).order_by("pk").first()
    if invited is not None and Membership.objects.filter(project=project, user=invited).exists():
        raise ValidationError({"identifier": _("This address belongs to a member of the project already.")})
    if invited is not None:
        pending = Invitation.objects.filter(project=project, user=invited, status=InvitationStatus.PENDING)
        if (existing := pending.first()) is not None:
            return existing
    if (wait := throttle.retry_after(limit, user_id=user.pk)) is not None:
        raise InvitationLimited(
            _(
                "You sent %(count)d invitations within the hour, the most allowed. Nothing was sent; "
                "try again in %(wait)s."
            )
            % {"count": limit.per_user, "wait": throttle.minutes(wait)},
            code="invitation_limit",
        )
    new_account = invited is None or awaiting_first_acceptance(invited)
    if invited is None:
        # Inactive and without a password until the person accepts (invitation_join).
        invited = User(username=_unique_username(email), email=email, is_active=False)
        invited.set_unusable_password()
        invited.save()
    pending = Invitation.objects.filter(project=project, user=invited, status=InvitationStatus.PENDING)
    invitation = Invitation(project=project, user=invited, email=email, role=role, invited_by=user)
    invitation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # another request won (only without the advisory lock, e.g. SQLite)
        return pending.get()
    throttle.record(limit, user_id=user.pk, detail=f"project {project.pk}")
    _notify(invitation, inviter=user, new_account=new_account)
    _record(
        invitation,
        actor=user,
        verb="member invited",
        message=gettext_noop("%(email)s invited as %(role)s"),
        values={"email": email, "role": activity.choice(Role, invitation.role, lower=True)},
    )
    return invitation


def _record(invitation: Invitation, *, actor, verb: str, message: str, values: dict) -> None:
    from .services import activity_record

    url = reverse("projects:members", args=[invitation.project_id])
    pagecache.user_changed(invitation.user_id)  # their project list counts pending invitations
    activity_record(
        project=invitation.project, actor=actor, verb=verb, message=message, values=values, url=url
    )


def _answer(invitation: Invitation, user, status: str) -> Invitation:
    """Lock the invitation, check it is this person's and still open, and record the answer."""
    invitation = Invitation.objects.select_for_update().select_related("project").get(pk=invitation.pk)
    if invitation.user_id != user.pk:
        raise ValidationError(_("This invitation is for someone else."))
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation was already answered (%(status)s).")
            % {"status": invitation.get_status_display()}
        )
    invitation.status, invitation.answered_at = status, timezone.now()
    invitation.save(update_fields=["status", "answered_at", "updated_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = _answer(invitation, user, InvitationStatus.ACCEPTED)
    membership, _created = Membership.objects.get_or_create(
        project=invitation.project, user=user, defaults={"role": invitation.role}
    )
    _record(
        invitation,
        actor=user,
        verb="member added",
        message=gettext_noop("%(username)s accepted and joined as %(role)s"),
        values={"username": user.username, "role": activity.choice(Role, membership.role, lower=True)},
    )
    return membership


def token_valid(account, token: str) -> bool:
    return default_token_generator.check_token(account, token)


def _joining_account(invitation: Invitation, token: str):
    """The invited account, locked, if the link is good and the account still waits to be activated."""
    account = User.objects.select_for_update().get(pk=invitation.user_id)
    if not awaiting_first_acceptance(account) or not default_token_generator.check_token(account, token):
        raise ValidationError(_("This link no longer works. Ask the project's lead to invite you again."))
    return account


@transaction.atomic
def invitation_join(
    *, invitation: Invitation, token: str, password: str | None, first_name: str = "", last_name: str = ""
) -> Membership:
    """A new account accepts through the e-mail's link: the password is set (unless sign-in is only
    through the identity provider), the name given (so people see a name, not the username), the
    account activated, and the person joins the project."""
    account = _joining_account(invitation, token)
    if password:
        account.set_password(password)
    account.is_active = True
    account.first_name = first_name.strip()[:150] or account.first_name
    account.last_name = last_name.strip()[:150] or account.last_name
    account.save(update_fields=["password", "is_active", "first_name", "last_name"])
    return invitation_accept(invitation=invitation, user=account)


@transaction.atomic
def invitation_join_decline(*, invitation: Invitation, token: str) -> Invitation:
    """A new account declines through the e-mail's link; the account stays inactive."""
    return invitation_decline(invitation=invitation, user=_joining_account(invitation, token))


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user) -> Invitation:
    invitation = _answer(invitation, user, InvitationStatus.DECLINED)
    _record(
        invitation,
        actor=user,
        verb="invitation declined",
        message=gettext_noop("%(email)s declined"),
        values={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, user) -> None:
    """The lead takes back an invitation nobody answered yet."""
    invitation = Invitation.objects.select_for_update().select_related("project").get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation was already answered."))
    invitation.delete()
    _record(
        invitation,
        actor=user,
        verb="invitation withdrawn",
        message=gettext_noop("%(email)s: invitation withdrawn"),
        values={"email": invitation.email},
    )


def pending_for_project(project: Project) -> list[Invitation]:
    """Pending invitations with the state of their e-mail (sent, waiting, failed and why)."""
    from django.db.models import OuterRef, Subquery

    from kernel.outbox import OutboxMessage

    mail = OutboxMessage.objects.filter(subject_type="invitation", subject_id=OuterRef("pk")).order_by("-id")
    return list(
        Invitation.objects.filter(project=project, status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .annotate(
            mail_status=Subquery(mail.values("status")[:1]),
            mail_error=Subquery(mail.values("last_error")[:1]),
        )
        .order_by("email")
    )


def pending_for_user(user) -> list[Invitation]:
    return list(
        Invitation.objects.filter(user=user, status=InvitationStatus.PENDING)
        .select_related("project", "invited_by")
        .order_by("-created_at")
    )
