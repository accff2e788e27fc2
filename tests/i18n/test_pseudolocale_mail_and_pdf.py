"""E-mails and PDFs in the pseudo-locale: every kind of e-mail (subject, text and HTML parts, as
the outbox sends them) and every kind of report's HTML (the PDF's source, before WeasyPrint) for
the demo project, read by the same detector as the pages (test_pseudolocale.py). What is still
English and not data is listed by kind in unmarked_allowlist.json ("e-mail:<kind>", "pdf:<kind>");
the list only shrinks. PSEUDOLOCALE_UPDATE=1 rewrites those entries (docs/i18n.md).
"""

import datetime as dt
import html
import json
import os
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone, translation

from documents.models import Document, VersionStatus
from documents.notifications import review_requested
from identity.models import LanguagePreference
from kernel import extensions
from kernel.outbox import OutboxMessage, message_email
from kernel.pseudolocale import build
from notifications.reminders import reminder_sweep
from projects.comments import comment_add
from projects.invitations import invitation_create
from projects.models import Role, Task
from reports.models import ReportTrigger
from reports.schedules import monthly_report_mail
from tests.browser.demo import seed_demo
from tests.factories import UserFactory, make_report
from tests.i18n.test_pseudolocale import ALLOWLIST, Data, english_texts

pytestmark = [pytest.mark.pseudolocale, pytest.mark.timeout(900), pytest.mark.django_db]

NOW = dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC)


def _as_html(text: str) -> str:
    """A plain-text part as the detector reads a page: one paragraph per line, a translated string
    that spans lines ("[Ĥéļļö Nora,\n\nÝöû…]") kept in one."""
    joined, depth = [], 0
    for char in text:
        depth += {"[": 1, "]": -1}.get(char, 0) if char in "[]" and (char == "[" or depth) else 0
        joined.append(" " if char == "\n" and depth else char)
    return "".join(f"<p>{html.escape(line)}</p>" for line in "".join(joined).splitlines() if line.strip())


def _make_every_email(project, language) -> None:
    """At least one outbox message of each kind the apps declare, to people who read `language`."""
    OutboxMessage.objects.all().delete()  # the demo's own, recorded in English before anyone chose
    users = get_user_model()
    lead = users.objects.get(username="lead")
    for user in users.objects.all():
        LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})
    newcomer = UserFactory(username="nora", email="nora@example.com", first_name="Nora", last_name="Newcomer")
    LanguagePreference.objects.create(user=newcomer, language=language)
    with translation.override(language):
        invitation_create(project=project, email=newcomer.email, role=Role.VIEWER, user=lead)
        task = Task.objects.filter(project=project).order_by("pk").first()
        member = project.memberships.exclude(user=lead).select_related("user").first().user
        comment_add(task=task, user=lead, body=f"@{member.username} please check this.")
        document = Document.objects.filter(project=project).order_by("pk").first()
        document.approver = member
        document.save()
        version = document.versions.order_by("-number").first()
        version.status = VersionStatus.IN_REVIEW
        version.change_summary = version.change_summary or "Scope wording"
        version.save()
        submission = SimpleNamespace(pk=version.pk, at=timezone.now())
        review_requested(document=document, version=version, submission=submission, user=lead)
    report = make_report(project, trigger=ReportTrigger.SCHEDULED)
    monthly_report_mail(report=report)
    reminder_sweep(today=timezone.localdate())


def _emails(project, language) -> dict[str, list[str]]:
    """kind -> the HTML the detector reads for each message of that kind."""
    _make_every_email(project, language)
    rendered: dict[str, list[str]] = {}
    for message in OutboxMessage.objects.select_related("recipient", "report").order_by("pk"):
        email = message_email(message)
        parts = [f"<h1>{html.escape(email.subject)}</h1>", _as_html(email.body)]
        parts += [content for content, mimetype in email.alternatives if mimetype == "text/html"]
        rendered.setdefault(message.kind, []).extend(parts)
    return rendered


def _pdfs(project, language) -> dict[str, list[str]]:
    """kind -> the PDF's source HTML for each subject of that kind (or the one PDF of the project)."""
    lead = get_user_model().objects.get(username="lead")
    today = timezone.localdate()
    rendered: dict[str, list[str]] = {}
    with translation.override(language):
        for spec in extensions.report_kinds():
            subjects = [pk for pk, _label in spec.subjects(project)] if spec.subjects else [None]
            for subject_id in subjects:
                context = spec.build(project, subject_id=subject_id, today=today)
                context.update(today=today, generated_at=timezone.now(), requested_by=lead)
                context.setdefault("title", spec.label)
                page = render_to_string(spec.template, {"LANGUAGE_CODE": language, **context})
                rendered.setdefault(spec.kind, []).append(page)
    return rendered


@time_machine.travel(NOW, tick=False)
def test_no_unmarked_english_in_emails_and_pdfs_beyond_the_allowlist(settings, tmp_path, media):
    language = settings.PSEUDO_LANGUAGE
    build(tmp_path, language=language)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (language, "Pseudo")]
    project = seed_demo()
    documents = {f"e-mail:{kind}": pages for kind, pages in _emails(project, language).items()}
    documents |= {f"pdf:{kind}": pages for kind, pages in _pdfs(project, language).items()}
    data = Data(language, exclude=(OutboxMessage,))  # after the e-mails: a comment's text is data
    # Every kind the apps declare was rendered (a kind nobody made would be checked by nobody).
    assert {f"e-mail:{kind}" for kind in extensions.email_kinds()} <= set(documents)
    assert {f"pdf:{kind.kind}" for kind in extensions.report_kinds()} <= set(documents)
    found: dict[str, list[str]] = {}
    for key, pages in documents.items():
        english = sorted({text for page in pages for text in english_texts(page, data)})
        if english:
            found[key] = english
    total = sum(len(texts) for texts in found.values())
    print(
        f"pseudolocale: {total} unmarked English texts in {len(found)} of {len(documents)} e-mail, PDF kinds"
    )
    allowed = json.loads(ALLOWLIST.read_text())
    if os.environ.get("PSEUDOLOCALE_UPDATE"):
        pages = {key: texts for key, texts in allowed.items() if not key.startswith(("e-mail:", "pdf:"))}
        ALLOWLIST.write_text(json.dumps(pages | found, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        allowed = json.loads(ALLOWLIST.read_text())
    mine = {key: texts for key, texts in allowed.items() if key.startswith(("e-mail:", "pdf:"))}
    new = {key: sorted(set(texts) - set(mine.get(key, []))) for key, texts in found.items()}
    stale = {key: sorted(set(texts) - set(found.get(key, []))) for key, texts in mine.items()}
    new = {key: texts for key, texts in new.items() if texts}
    stale = {key: texts for key, texts in stale.items() if texts}
    assert not new, f"English nobody marked for translation (mark it, or it is data): {new}"
    assert not stale, f"Marked since: remove from {ALLOWLIST.name} (PSEUDOLOCALE_UPDATE=1): {stale}"
