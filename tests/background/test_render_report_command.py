import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


def test_render_report_writes_the_pdf_synchronously(world, tmp_path, capsys):
    output = tmp_path / "report.pdf"
    call_command("render_report", str(world.project.pk), "management", "-o", str(output))

    reader = PdfReader(output)
    assert f"Wrote {output}: {len(reader.pages)} pages" in capsys.readouterr().out
    assert "World project" in reader.pages[0].extract_text()


def test_render_report_accepts_the_project_name(world, tmp_path):
    call_command("render_report", "World project", "management", "-o", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("project", "kind", "message"),
    [("999999", "management", "No project"), ("World project", "horoscope", "Unknown report kind")],
)
def test_render_report_explains_bad_arguments(world, tmp_path, project, kind, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_report", project, kind, "-o", str(tmp_path / "x.pdf"))
