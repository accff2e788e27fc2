"""Issue 19 defect 11: the archive of "ISO/IEC 20000-1 …" was named after what follows the "/". The
whole name is kept: a plain ASCII filename and RFC 5987's filename* in UTF-8."""

import pytest
from django.utils import timezone

from transfer.views import archive_filename

pytestmark = pytest.mark.django_db


def test_the_download_is_named_after_the_whole_project_name(client, world):
    world.project.name = "ISO/IEC 20000-1 — Société Générale"
    world.project.save(update_fields=["name"])
    client.force_login(world.user("lead"))
    response = client.get(f"/projects/{world.project.pk}/export/archive/")
    day = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="iso-iec-20000-1-societe-generale-{day}.zip"' in disposition
    assert (
        f"filename*=UTF-8''ISO-IEC%2020000-1%20%E2%80%94%20Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale-{day}.zip"
        in disposition
    )


@pytest.mark.parametrize(
    "name,ascii_name",
    [
        ("ISO/IEC 20000-1", "iso-iec-20000-1"),
        ("../../etc/passwd", "etc-passwd"),
        ('Quote " and \\ back', "quote-and-back"),
        ("////", "project"),
        ("日本のプロジェクト", "project"),
    ],
)
def test_archive_names_are_safe_whatever_the_project_name(name, ascii_name):
    day = timezone.localdate()
    plain, full = archive_filename(name, day)
    assert plain == f"{ascii_name}-{day:%Y-%m-%d}.zip"
    assert "/" not in full and "\\" not in full and '"' not in full and not full.startswith(".")
