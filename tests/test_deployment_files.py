import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent


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
