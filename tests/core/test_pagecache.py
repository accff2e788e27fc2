"""Cached page parts ({% cachedpart %}, kernel/pagecache.py) are served again only while
no table they were read from has been written, whatever way the write took (a model save, a bulk
update, a delete, raw SQL, a transaction committed later)."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Template
from django.test import override_settings

from kernel import pagecache
from kernel.templatetags import cachedpart
from projects.models import Task
from tests.conftest import clear_cache
from tests.factories import make_project, make_task

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
    """What a request does around the view: a snapshot before its first query, then forgotten."""
    pagecache.request_started()  # the receivers of request_started/finished (the signals would
    try:  # also close the test's database connection)
        yield
    finally:
        pagecache.request_finished()


def view(counter, key=()):
    with request():
        return pagecache.cached_part("test-part", (counter.project.pk, *key), counter)


def test_a_part_is_served_from_the_cache_once_its_tables_are_known():
    project = make_project()
    make_task(project, title="One")
    counter = Counter(project)
    assert view(counter) == view(counter) == view(counter) == view(counter) == "One"
    assert counter.runs == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda task: (setattr(task, "title", "Changed"), task.save()),
        lambda task: Task.objects.filter(pk=task.pk).update(title="Changed"),
        lambda task: Task.objects.filter(pk=task.pk).delete(),
        lambda task: connection.cursor().execute(
            "UPDATE projects_task SET title = %s WHERE id = %s", ["Changed", task.pk]
        ),
    ],
    ids=["save", "queryset update", "delete", "raw SQL"],
)
def test_any_write_to_a_table_read_makes_the_part_render_again(write):
    project = make_project()
    task = make_task(project, title="One")
    counter = Counter(project)
    view(counter), view(counter)
    assert view(counter) == "One" and counter.runs == 1
    write(task)
    fresh = "|".join(Task.objects.filter(project=project).order_by("id").values_list("title", flat=True))
    assert view(counter) == fresh
    assert counter.runs == 2


def test_a_write_elsewhere_keeps_the_part():
    project = make_project()
    make_task(project, title="One")
    counter = Counter(project)
    view(counter), view(counter), view(counter)
    connection.cursor().execute("UPDATE auth_user SET first_name = 'x' WHERE id < 0")
    assert view(counter) == "One" and counter.runs == 1


@pytest.mark.django_db(transaction=True)
def test_a_transaction_gives_its_tables_a_new_generation_when_it_commits():
    project = make_project()
    task = make_task(project, title="One")
    before = pagecache.generations(["projects_task"])
    with transaction.atomic():
        Task.objects.filter(pk=task.pk).update(title="Changed")
        with pytest.raises(ZeroDivisionError), transaction.atomic():  # a rolled-back savepoint
            Task.objects.filter(pk=task.pk).update(title="Rolled back")
            raise ZeroDivisionError
        Task.objects.filter(pk=task.pk).update(title="Again")
        assert pagecache.generations(["projects_task"]) == before, "uncommitted: readers see old rows"
    assert pagecache.generations(["projects_task"]) != before, "committed: parts drawn before miss"


def test_a_request_that_wrote_does_not_serve_parts_of_the_old_rows():
    project = make_project()
    task = make_task(project, title="One")
    counter = Counter(project)
    view(counter), view(counter)
    with request():
        list(Task.objects.filter(pk=task.pk))  # the snapshot is taken here
        Task.objects.filter(pk=task.pk).update(title="Changed")
        assert pagecache.cached_part("test-part", (project.pk,), counter) == "Changed"


def test_data_read_before_the_part_in_the_request_is_among_its_tables():
    project = make_project()
    task = make_task(project, title="One")
    runs = []

    def page():
        with request():
            titles = list(Task.objects.filter(project=project).values_list("title", flat=True))

            def render():  # reads nothing itself: shows what the view read before
                runs.append(1)
                return ",".join(titles)

            return pagecache.cached_part("read-before", (project.pk,), render)

    assert page() == page() == page() == "One"
    assert len(runs) == 1, "the tables read were known at the first request: stored at once"
    Task.objects.filter(pk=task.pk).update(title="Changed")
    assert page() == "Changed"


def test_outside_a_request_a_part_is_rendered_every_time():
    project = make_project()
    counter = Counter(project)
    for _ in range(3):
        pagecache.cached_part("no-request", (project.pk,), counter)
    assert counter.runs == 3


def test_a_lazy_value_used_only_inside_is_not_computed_on_a_hit():
    project = make_project()
    make_task(project, title="One")
    computed = []

    def compute():
        computed.append(1)
        return list(Task.objects.filter(project=project).values_list("title", flat=True))

    template = Template(
        '{% load cachedpart %}{% cachedpart "lazy-inside" project %}'
        "{% for t in tasks %}{{ t }}{% endfor %}{% endcachedpart %}"
    )
    for _ in range(4):
        tasks = pagecache.lazy(compute)
        with request():
            assert template.render(Context({"project": project, "tasks": tasks})) == "One"
    assert len(computed) == 1


def test_a_part_holding_the_csrf_token_is_stored_without_it_and_served_with_each_requests_own():
    project = make_project()
    template = Template(
        '{% load cachedpart %}{% cachedpart "csrf" project %}'
        '<input name="csrfmiddlewaretoken" value="{{ csrf_token }}">{{ name }}{% endcachedpart %}'
    )
    renders = []
    tokens = [f"{n}-token-" + "x" * 56 for n in ("first", "second", "third")]
    for token in tokens:
        name = pagecache.lazy(lambda: renders.append(1) or "Part")
        with request():
            html = template.render(Context({"project": project, "csrf_token": token, "name": name}))
        assert html == f'<input name="csrfmiddlewaretoken" value="{token}">Part'
    assert len(renders) == 1, "served from the cache"
    stored = cache.get(pagecache.part_key("csrf", (cachedpart._plain(project),)))["html"]
    assert "Part" in stored and not any(token in stored for token in tokens)


def test_a_token_too_short_to_stand_for_keeps_the_part_out_of_the_cache():
    """Django's "NOTPROVIDED" could be anyone's text: a part holding it is rendered every time."""
    project = make_project()
    template = Template(
        '{% load cachedpart %}{% cachedpart "csrf" project %}{{ csrf_token }}{% endcachedpart %}'
    )
    for token in ["first-token", "second-token", "third-token"]:
        with request():
            assert template.render(Context({"project": project, "csrf_token": token})) == token


def test_the_project_is_keyed_by_what_it_holds():
    project = make_project(name="Before")
    template = Template(
        '{% load cachedpart %}{% cachedpart "name" project %}{{ project.name }}{% endcachedpart %}'
    )
    for _ in range(3):
        with request():
            assert template.render(Context({"project": project})) == "Before"
    project.name = "After"
    project.save()
    with request():
        assert template.render(Context({"project": project})) == "After"


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
