"""Each phase's task counts (roadmap, dashboard, API) are counted per phase by subqueries over the
(phase, status) index, in the one query that reads the phases, whatever the number of tasks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Task, TaskStatus
from projects.selectors import phase_list
from tests.factories import make_task


def test_counts_match_the_tasks_of_each_phase_and_phases_without_tasks_count_zero(world):
    phases = list(world.project.phases.order_by("order"))
    for index in range(7):
        make_task(
            world.project,
            phase=phases[index % 2],
            status=TaskStatus.DONE if index % 3 == 0 else TaskStatus.OPEN,
        )
    with CaptureQueriesContext(connection) as captured:
        rows = list(phase_list(project=world.project))
    assert len(captured) == 1
    for phase in rows:
        tasks = Task.objects.filter(phase=phase)
        assert phase.task_total == tasks.count()
        assert phase.task_done == tasks.filter(status=TaskStatus.DONE).count()
    assert rows[0].task_total == 4 and rows[0].task_done == 2
    assert rows[1].task_total == 3 and rows[1].task_done == 1
    assert all(phase.task_total == 0 for phase in rows[2:])


def test_the_query_does_not_join_the_tasks(world):
    sql = str(phase_list(project=world.project).query)
    assert "DISTINCT" not in sql.upper()
    assert 'LEFT OUTER JOIN "projects_task"' not in sql
