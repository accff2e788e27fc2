import io

from openpyxl import load_workbook

from tests.factories import make_task


def test_task_export_is_an_excel_file_with_every_task(world, client_for):
    make_task(world.project, title="Write the policy", assignee=world.user("contributor"), due_in=-3)
    make_task(world.project, title='=HYPERLINK("http://evil")', due_in=5)
    response = client_for("viewer").get(f"/projects/{world.project.pk}/reports/export/tasks.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Phase", "Task", "Assignee")
    titles = {row[1] for row in rows[1:]}
    assert "Write the policy" in titles
    assert '\'=HYPERLINK("http://evil")' in titles  # a title never becomes a formula
    overdue = {row[1]: row[7] for row in rows[1:]}
    assert overdue["Write the policy"] == "yes"
