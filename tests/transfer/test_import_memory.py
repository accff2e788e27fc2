"""Issue 19 defect 2: a 1.1 MB zip holding a gigabyte of data.json pushed a worker to 2.2 GB. The
import reads data.json as a stream: its memory does not follow the size of data.json. Measured in
a process of its own (the worker-side service, as bench/import_memory.py does up to 1 GB): a
64 MB data.json against a 1 MB one."""

import importlib.util
import io
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import UserFactory, make_project
from transfer import exporter

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def bench():
    spec = importlib.util.spec_from_file_location("import_memory", ROOT / "bench" / "import_memory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
@pytest.mark.timeout(600)
def test_import_memory_does_not_follow_the_size_of_data_json(tmp_path):
    project = make_project(lead=UserFactory(), name="Memory")
    buffer = io.BytesIO()
    exporter.write(project, buffer)
    tool = bench()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    measured = {}
    for size in (1, 64):
        path = tmp_path / f"padded-{size}.zip"
        made = tool.pad_archive(buffer.getvalue(), size * MB, path)
        assert made["data_bytes"] >= size * MB * 0.95 and made["zip_bytes"] < 2 * MB
        measured[size] = tool.measure(path, env={"DATABASE_URL": database_url})
        assert "refused" not in measured[size], measured[size]

    small, large = measured[1], measured[64]
    assert large["rss_highest_mb"] - small["rss_highest_mb"] < 50, measured
    assert large["peak_rss_mb"] - small["peak_rss_mb"] < 50, measured
