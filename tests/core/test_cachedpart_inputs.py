"""Every cached part reads only what kernel/cacheparts.py declares for it.

Each page holding a part is rendered for a lead, a contributor and a viewer, with the cache off so
every part is drawn. While a part renders, every name its template reads from the context made
before it is recorded (names it sets itself — loop variables, `with` — are not), and so is any read
of the clock. A name that is neither declared data nor a declared input, or the clock read by a part
without `today` among its inputs, or `{% now %}` at all, fails the test: it would be a key input
missing, and the part would be served stale or to the wrong viewer."""

from collections import defaultdict

import pytest
from django.template import base as template_base
from django.template.defaulttags import NowNode
from django.utils import timezone

from kernel import cacheparts
from kernel.templatetags import cachedpart
from projects.models import Role
from tests.factories import (
    UserFactory,
    add_member,
    add_version,
    make_assessment,
    make_audit,
    make_document,
    make_finding,
    make_project,
    make_task,
)

pytestmark = pytest.mark.django_db

CLOCK = "<the clock>"


class Recorder:
    def __init__(self):
        self.stack = []  # (part name, its context, how many dicts that held when the part began)
        self.reads = defaultdict(set)
        self.rendered = set()

    def read(self, context, lookups):
        if not self.stack:
            return
        bit = lookups[0]
        found = next((i for i in range(len(context.dicts) - 1, -1, -1) if bit in context.dicts[i]), None)
        for name, given, depth in self.stack:
            # From the context the part was given (a tag drawing with a context of its own, a form
            # widget, reads what it was passed: recorded where it was passed).
            if context is given and found is not None and found < depth:
                self.reads[name].add(".".join(str(b) for b in lookups))

    def clock(self):
        for name, _, _ in self.stack:
            self.reads[name].add(CLOCK)


@pytest.fixture
def recorder(monkeypatch, settings):
    settings.PAGE_CACHE = False  # every part drawn, every time
    recorder = Recorder()

    resolve = template_base.Variable._resolve_lookup

    def recording_resolve(self, context):
        if hasattr(context, "dicts"):
            recorder.read(context, self.lookups)
        return resolve(self, context)

    monkeypatch.setattr(template_base.Variable, "_resolve_lookup", recording_resolve)

    draw = cachedpart.CachedPartNode.render

    def recording_render(self, context):
        recorder.rendered.add(self.name)
        # The part's own context starts after the dict the tag pushes (request, part_query).
        recorder.stack.append((self.name, context, len(context.dicts) + 1))
        try:
            return draw(self, context)
        finally:
            recorder.stack.pop()

    monkeypatch.setattr(cachedpart.CachedPartNode, "render", recording_render)

    now, localdate = timezone.now, timezone.localdate

    def recording_now():
        recorder.clock()
        return now()

    def recording_localdate(value=None, timezone=None):
        if value is None:
            recorder.clock()
        return localdate(value, timezone)

    monkeypatch.setattr(timezone, "now", recording_now)
    monkeypatch.setattr(timezone, "localdate", recording_localdate)

    now_render = NowNode.render

    def recording_now_node(self, context):
        for name, _, _ in recorder.stack:
            recorder.reads[name].add("{% now %}")
        return now_render(self, context)

    monkeypatch.setattr(NowNode, "render", recording_now_node)
    return recorder


def allowed(part: cacheparts.Part, read: str) -> bool:
    root = read.split(".")[0]
    if read == CLOCK:
        return "today" in part.inputs
    if root == "request":  # inside a part: its path and declared query parameters, nothing else
        return read in ("request", "request.GET", "request.path", "request.get_full_path") or read.startswith(
            "request.GET."
        )
    if root in cacheparts.ALWAYS or root in part.data:
        return True
    for name in part.inputs:
        if name.startswith("GET."):
            continue
        if "." in name:  # a declared attribute: that one only
            if read == name or read.startswith(name + "."):
                return True
        elif root == name:
            return True
    return False


@pytest.fixture
def pages():
    lead, contributor, viewer = UserFactory(), UserFactory(), UserFactory()
    project = make_project(lead=lead)
    add_member(project, contributor, Role.CONTRIBUTOR)
    add_member(project, viewer, Role.VIEWER)
    phase = project.phases.get(key="5")
    make_task(project, phase=phase, title="Overdue", assignee=lead, due_in=-2)
    make_task(project, phase=phase, title="Soon", assignee=contributor, due_in=3)
    document = make_document(project, code="POL-01", owner=lead, approver=contributor)
    add_version(document, lead)
    assessment = make_assessment(project, user=lead)
    clause = assessment.responses.select_related("question__clause").first().question.clause.number
    audit = make_audit(project, user=lead, scope=("8.1", "9.2"))
    make_finding(audit, user=lead)
    p = f"/projects/{project.pk}"
    urls = [
        "/projects/",
        "/my-work/",
        f"{p}/",
        f"{p}/tasks/",
        f"{p}/tasks/?status=all&page=1",
        f"{p}/phases/{phase.pk}/",
        f"{p}/roadmap/",
        f"{p}/members/",
        f"{p}/history/",
        f"{p}/gap/",
        f"{p}/gap/{assessment.pk}/",
        f"{p}/gap/{assessment.pk}/clauses/{clause}/",
        f"{p}/audits/",
        f"{p}/audits/{audit.pk}/",
        f"{p}/audits/readiness/",
        f"{p}/audits/readiness/?show=all&stage=2",
        f"{p}/audits/findings/",
        f"{p}/documents/",
        f"{p}/documents/?status=draft",
        f"{p}/documents/{document.pk}/",
        f"{p}/reports/",
    ]
    return [lead, contributor, viewer], urls


def test_every_part_reads_only_its_declared_inputs_and_data(client, pages, recorder):
    users, urls = pages
    for user in users:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
    assert recorder.rendered == set(cacheparts.PARTS), "every declared part is drawn by a page here"
    undeclared = {
        name: sorted(read for read in reads if not allowed(cacheparts.PARTS[name], read))
        for name, reads in recorder.reads.items()
    }
    undeclared = {name: reads for name, reads in undeclared.items() if reads}
    assert not undeclared, f"read but not declared in kernel/cacheparts.py: {undeclared}"


def test_the_check_catches_an_undeclared_input(recorder, monkeypatch):
    """The same recording, on a template that shows the time and a name nobody declared."""
    from django.template import Context, Template

    project = make_project()
    template = Template(
        '{% load cachedpart %}{% cachedpart "quick-task-form" %}'
        "{{ secret }}{% now 'H:i' %}{% for x in quick_form %}{{ x }}{% endfor %}{% endcachedpart %}"
    )
    template.render(Context({"project": project, "secret": "s", "quick_form": [1], "phase": None}))
    part = cacheparts.PARTS["quick-task-form"]
    undeclared = sorted(r for r in recorder.reads["quick-task-form"] if not allowed(part, r))
    assert undeclared == ["secret", "{% now %}"]
