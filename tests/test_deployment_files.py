import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = "python:sms_tracker.gunicorn_conf"
PRODUCTION = {
    "SECRET_KEY": "s" * 50,
    "ALLOWED_HOSTS": "sms.example.com",
    "DATABASE_URL": "postgres://u@db/sms",
}


def test_docker_compose_file_is_valid():
    command = shutil.which("docker-compose")
    if command is None:
        service_missing("docker-compose is not installed (scripts/system-deps.sh installs it)")
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "compose-validation-only"}
    result = subprocess.run(
        [command, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # Without a secret key the stack refuses to start rather than run with a default.
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [command, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


def test_compose_defines_every_service_of_the_architecture():
    text = (ROOT / "docker-compose.yml").read_text()
    for service in ("web:", "worker:", "beat:", "postgres:", "redis:"):
        assert service in text
    assert "gunicorn" in text and "celery" in text


def _gunicorn_settings(**env) -> dict:
    """The settings gunicorn runs with from the production config (no app loaded: --print-config)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--print-config", "--config", GUNICORN_CONFIG, "sms_tracker.wsgi:application"],
        cwd=ROOT,
        # Production settings, as in the image: printing the config also loads the application.
        env={"PATH": os.environ["PATH"], **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_the_image_and_compose_start_gunicorn_with_the_one_config():
    command = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M).group(1))
    assert command[:3] == ["gunicorn", "--config", GUNICORN_CONFIG]
    assert (
        f"gunicorn --config {GUNICORN_CONFIG} sms_tracker.wsgi:application"
        in (ROOT / "docker-compose.yml").read_text()
    )


def test_gunicorn_runs_threaded_workers_sized_by_the_environment():
    settings = _gunicorn_settings()
    assert settings["worker_class"] == "gthread"
    assert (settings["workers"], settings["threads"]) == ("3", "4")
    assert settings["bind"] == "['0.0.0.0:8000']" and settings["accesslog"] == "-"
    sized = _gunicorn_settings(WEB_CONCURRENCY="2", GUNICORN_THREADS="8")
    assert (sized["workers"], sized["threads"]) == ("2", "8")
