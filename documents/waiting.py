"""What the register puts under "Waiting for my approval" on My work (kernel.extensions)."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.extensions import WaitingItem, WaitingSource

from .models import DocumentVersion, VersionStatus


def versions_to_approve(user):
    """Versions in review whose document names the user as approver, in projects they still belong to;
    never their own versions (segregation of duties)."""
    return (
        DocumentVersion.objects.filter(
            status=VersionStatus.IN_REVIEW,
            document__approver=user,
            document__project__memberships__user=user,
        )
        .exclude(author=user)
        .select_related("document__project", "author")
        .order_by(F("submitted_at").asc(nulls_first=True), "id")
    )


def version_item(version) -> WaitingItem:
    document = version.document
    author = (
        version.author.get_full_name() or version.author.get_username()
        if version.author
        else gettext("unknown")
    )
    return WaitingItem(
        title=gettext("%(code)s v%(number)s %(title)s")
        % {"code": document.code, "number": version.number, "title": document.display_title},
        project_name=document.project.name,
        detail=gettext("from %(author)s") % {"author": author},
        since=version.submitted_at,
        path=reverse("documents:detail", args=[document.project_id, document.pk]),
    )


VERSIONS_TO_APPROVE = WaitingSource(
    "versions", _("Document versions to approve"), 10, versions_to_approve, version_item, "document__project"
)
