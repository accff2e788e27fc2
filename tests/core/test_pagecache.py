"""Cached page parts ({% cachedpart %}, kernel/pagecache.py) live in one namespace per
project: a write through the services clears its project's parts (one key) and no other project's;
a transaction gives its project a new generation again when it commits."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template import Context, Template
from django.test import override_settings

from kernel import pagecache
from projects import services
from projects.models import Task
from tests.conftest import clear_cache
from tests.factories import UserFactory, make_project, make_task

# Run with per-process memory and with the Redis cache production uses (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


@pytest.fixture(autouse=True)
def empty_cache():
    clear_cache()


class Counter:
    """A render function that reads the tasks of a project and counts how often it ran."""

    def __init__(self, project):
        self.project, self.runs = project, 0

    def __call__(self):
        self.runs += 1
        titles = Task.objects.filter(project=self.project).order_by("id").values_list("title", flat=True)
        return "|".join(titles)


@contextmanager
def request():
    """What a request does around the view (the receivers of request_started/finished; the signals
    would also close the test's database connection)."""
    pagecache.request_started()
    try:
        yield
    finally:
        pagecache.request_finished()


def view(counter, inputs=()):
    with request():
        namespaces = [pagecache.project_namespace(counter.project.pk)]
        return pagecache.cached_part("test-part", namespaces, tuple(inputs), counter)


def edit(task, title):
    task.refresh_from_db()
    services.task_update(
        task=task, user=task.project.memberships.first().user, expected_version=task.version, title=title
    )


def test_a_part_is_served_from_the_cache_from_its_first_view():
    project = make_project()
    make_task(project, title="One")
    counter = Counter(project)
    assert view(counter) == view(counter) == view(counter) == "One"
    assert counter.runs == 1


def test_a_write_through_the_services_makes_the_projects_part_render_again():
    project = make_project(lead=UserFactory())
    task = make_task(project, title="One")
    counter = Counter(project)
    view(counter), view(counter)
    edit(task, "Changed")
    assert view(counter) == "Changed"
    assert counter.runs == 2


def test_a_write_in_another_project_keeps_the_part():
    project, other = make_project(lead=UserFactory()), make_project(lead=UserFactory(), name="Other")
    make_task(project, title="One")
    elsewhere = make_task(other, title="Elsewhere")
    counter = Counter(project)
    view(counter), view(counter)
    edit(elsewhere, "Changed elsewhere")
    services.activity_record(project=other, actor=None, verb="noted", summary="x")
    assert view(counter) == "One" and counter.runs == 1


def test_the_inputs_are_in_the_key():
    project = make_project()
    counter = Counter(project)
    view(counter, inputs=[("role", "lead")]), view(counter, inputs=[("role", "viewer")])
    view(counter, inputs=[("role", "lead")])
    assert counter.runs == 2


def test_clearing_a_project_is_one_key_and_every_part_of_it_goes():
    project = make_project()
    counter = Counter(project)
    view(counter), view(counter, inputs=[("page", "2")])
    before = pagecache.generations([pagecache.project_namespace(project.pk)])
    pagecache.project_changed(project.pk)
    after = pagecache.generations([pagecache.project_namespace(project.pk)])
    assert before != after
    view(counter), view(counter, inputs=[("page", "2")])
    assert counter.runs == 4


def test_clearing_everything_clears_every_project():
    project, other = make_project(), make_project(name="Other")
    counters = [Counter(project), Counter(other)]
    for counter in counters:
        view(counter), view(counter)
    pagecache.everything_changed()
    for counter in counters:
        view(counter)
    assert [c.runs for c in counters] == [2, 2]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_gives_the_project_a_new_generation_again_when_it_commits():
    """Between the write and the commit other readers see the old rows: what they store under the
    first new generation is left behind by the one the commit writes."""
    project = make_project()
    name = pagecache.project_namespace(project.pk)
    before = pagecache.generations([name])
    with transaction.atomic():
        pagecache.project_changed(project.pk)
        during = pagecache.generations([name])
        assert during != before, "the writing process sees its own write at once"
    assert pagecache.generations([name]) not in (before, during), "and again once committed"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_a_generation_no_part_was_stored_under_before():
    project = make_project()
    name = pagecache.project_namespace(project.pk)
    before = pagecache.generations([name])
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        pagecache.project_changed(project.pk)
        raise ZeroDivisionError
    assert pagecache.generations([name]) != before  # a part drawn in between is not served again


def test_a_request_that_wrote_does_not_serve_parts_of_the_old_rows():
    project = make_project(lead=UserFactory())
    task = make_task(project, title="One")
    counter = Counter(project)
    view(counter), view(counter)
    with request():
        namespaces = [pagecache.project_namespace(project.pk)]
        assert pagecache.cached_part("test-part", namespaces, (), counter) == "One"
        edit(task, "Changed")
        assert pagecache.cached_part("test-part", namespaces, (), counter) == "Changed"


def test_outside_a_request_a_part_is_rendered_every_time():
    project = make_project()
    counter = Counter(project)
    for _ in range(3):
        pagecache.cached_part("no-request", [pagecache.project_namespace(project.pk)], (), counter)
    assert counter.runs == 3


def test_a_lazy_value_used_only_inside_is_not_computed_on_a_hit():
    project = make_project()
    make_task(project, title="One")
    computed = []

    def compute():
        computed.append(1)
        return list(Task.objects.filter(project=project).values_list("title", flat=True))

    template = Template(
        '{% load cachedpart %}{% cachedpart "project-history" %}'
        "{% for t in entries %}{{ t }}{% endfor %}{% endcachedpart %}"
    )
    for _ in range(4):
        entries = pagecache.lazy(compute)
        with request():
            assert template.render(Context({"project": project, "entries": entries})) == "One"
    assert len(computed) == 1


def test_a_part_holding_the_csrf_token_is_stored_without_it_and_served_with_each_requests_own():
    project = make_project()
    template = Template(
        '{% load cachedpart %}{% cachedpart "project-history" %}'
        '<input name="csrfmiddlewaretoken" value="{{ csrf_token }}">{{ entries }}{% endcachedpart %}'
    )
    renders = []
    tokens = [f"{n}-token-" + "x" * 56 for n in ("first", "second", "third")]
    for token in tokens:
        entries = pagecache.lazy(lambda: renders.append(1) or "Part")
        with request():
            html = template.render(Context({"project": project, "csrf_token": token, "entries": entries}))
        assert html == f'<input name="csrfmiddlewaretoken" value="{token}">Part'
    assert len(renders) == 1, "served from the cache"
    stored = list(pagecache._local.entries.items())  # what was stored, as stored
    assert len(stored) == 1
    key, html = stored[0]
    assert cache.get(key) == html
    assert "Part" in html and not any(token in html for token in tokens)


def test_a_token_too_short_to_stand_for_keeps_the_part_out_of_the_cache():
    """Django's "NOTPROVIDED" could be anyone's text: a part holding it is rendered every time."""
    project = make_project()
    template = Template(
        '{% load cachedpart %}{% cachedpart "project-history" %}{{ csrf_token }}{% endcachedpart %}'
    )
    for token in ["first-token", "second-token", "third-token"]:
        with request():
            assert template.render(Context({"project": project, "csrf_token": token})) == token


def test_a_renamed_project_shows_its_new_name():
    lead = UserFactory()
    project = make_project(name="Before", lead=lead)
    template = Template(
        '{% load cachedpart %}{% cachedpart "project-history" %}{{ project.name }}{% endcachedpart %}'
    )
    for _ in range(3):
        with request():
            assert template.render(Context({"project": project})) == "Before"
    services.project_update(project=project, user=lead, expected_version=project.version, name="After")
    project.refresh_from_db()
    with request():
        assert template.render(Context({"project": project})) == "After"


def test_a_part_not_declared_is_refused_when_the_template_is_read():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="not declared"):
        Template('{% load cachedpart %}{% cachedpart "nobody-declared-me" %}x{% endcachedpart %}')
    with pytest.raises(TemplateSyntaxError, match="name only"):
        Template(
            '{% load cachedpart %}{% cachedpart "dashboard" request.get_full_path %}x{% endcachedpart %}'
        )


def test_keys_are_bounded_whatever_the_request_path():
    """No request path in a key: a part's key is its name and a fixed-size digest."""
    key = pagecache.part_key("task-list", {"project:1": 1}, (("GET.page", ("2" * 5000,)),))
    assert len(key) < len(pagecache.PART_PREFIX) + len("task-list") + 40


@override_settings(PAGE_CACHE=False)
def test_switched_off_every_view_renders():
    project = make_project()
    counter = Counter(project)
    for _ in range(3):
        view(counter)
    assert counter.runs == 3


def test_a_lazy_value_renders_like_the_value():
    template = Template("{{ n }} {{ html }} {{ text }} {% if n == 3 %}three{% endif %}")
    from django.utils.safestring import mark_safe

    context = Context(
        {
            "n": pagecache.lazy(lambda: 3),
            "html": pagecache.lazy(lambda: mark_safe("<b>x</b>")),
            "text": pagecache.lazy(lambda: "<i>"),
        }
    )
    assert template.render(context) == "3 <b>x</b> &lt;i&gt; three"
