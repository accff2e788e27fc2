import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from sms_tracker.celery import QUEUE_KINDS
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


def _compose_config() -> dict:
    """The compose file as docker-compose reads it (anchors and merges resolved)."""
    command = shutil.which("docker-compose")
    if command is None:
        service_missing("docker-compose is not installed (scripts/system-deps.sh installs it)")
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "compose-validation-only"}
    result = subprocess.run(
        [command, "config"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def _profile(config: dict, name: str) -> dict:
    return {
        key: service for key, service in config["services"].items() if name in service.get("profiles", [])
    }


def test_compose_embedded_profile_is_one_container_on_sqlite_with_eager_tasks():
    embedded = _profile(_compose_config(), "embedded")
    assert list(embedded) == ["web-embedded"]
    environment = embedded["web-embedded"]["environment"]
    assert environment["DATABASE_URL"].startswith("sqlite:")
    assert "REDIS_URL" not in environment  # without a broker, tasks run in the web process
    assert "gunicorn" in embedded["web-embedded"]["command"]


def test_compose_full_profile_runs_every_service_of_the_architecture():
    full = _profile(_compose_config(), "full")
    queues = {"celery", *QUEUE_KINDS}
    workers = {name: service for name, service in full.items() if name.startswith("worker-")}
    consumed = [service["command"].split("-Q ")[1].split()[0] for service in workers.values()]
    assert sorted(consumed) == sorted(queues)  # one worker per queue, each queue once
    assert {"web", "beat", "postgres", "redis", "s3", "nginx"} <= set(full)
    assert full["beat"]["command"].split()[:4] == ["celery", "-A", "sms_tracker", "beat"]
    assert full["s3"]["image"].startswith("motoserver/moto")
    for name in ("web", "beat", *workers):
        environment = full[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert environment["REDIS_URL"].startswith("redis://"), name
        assert environment["AWS_S3_ENDPOINT_URL"] == "http://s3:5000", name
    nginx_conf = (ROOT / "deploy" / "compose" / "nginx.conf").read_text()
    assert "server web:8000;" in nginx_conf and "location = /metrics/" in nginx_conf


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
