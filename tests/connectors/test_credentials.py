"""Credentials are encrypted with a key from the environment, never shown again, never exported or
backed up, never logged; without a key (production default) they cannot be stored at all."""

import gzip
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from connectors import crypto
from connectors.models import Connector
from connectors.services import connector_test, connector_update
from transfer.graph import exported_models

pytestmark = pytest.mark.django_db
SECRET = "s3cr3t-api-token-value"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def connector(make_connector):
    return make_connector("jira", "http://127.0.0.1:1/", secret=SECRET)


def test_stored_encrypted_and_read_back_with_the_key(connector):
    stored = Connector.objects.get(pk=connector.pk).credentials_encrypted
    assert SECRET not in stored and "bot@example.com" not in stored
    assert crypto.decrypt_credentials(stored) == {"username": "bot@example.com", "secret": SECRET}


def test_a_new_key_put_first_still_reads_the_old_token_and_rotates(connector, settings):
    old = connector.credentials_encrypted
    settings.CONNECTOR_CREDENTIALS_KEYS = [
        Fernet.generate_key().decode(),
        *settings.CONNECTOR_CREDENTIALS_KEYS,
    ]
    assert crypto.decrypt_credentials(old)["secret"] == SECRET
    rotated = crypto.rotate(old)
    settings.CONNECTOR_CREDENTIALS_KEYS = settings.CONNECTOR_CREDENTIALS_KEYS[:1]
    assert crypto.decrypt_credentials(rotated)["secret"] == SECRET


def test_a_token_from_a_removed_key_asks_for_the_credentials_again(connector, settings):
    settings.CONNECTOR_CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    ok, message = connector_test(connector=connector)
    assert (
        not ok
        and message == "The stored credentials cannot be read with the configured keys: enter them again."
    )


def test_without_a_key_credentials_are_refused_with_a_clear_message(client, lead_project, settings):
    project, lead = lead_project
    settings.CONNECTOR_CREDENTIALS_KEYS = []
    client.force_login(lead)
    response = client.post(
        f"/projects/{project.pk}/connectors/new/",
        {
            "kind": "jira",
            "name": "Jira",
            "base_url": "https://jira.example.com/",
            "secret": SECRET,
            "sync_every_minutes": 60,
        },
    )
    assert response.status_code == 422
    assert "no CONNECTOR_CREDENTIALS_KEYS set" in response.content.decode()
    assert not Connector.objects.exists()


def _settings_probe(**env):
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    probe = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.CONNECTOR_CREDENTIALS_KEYS))"
    )
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            "SMS_TRACKER_TESTING": "0",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "sms.example.com",
            **env,
        },
    )


def test_production_has_no_default_key_and_refuses_a_bad_one(tmp_path):
    assert json.loads(_settings_probe().stdout) == []
    key = Fernet.generate_key().decode()
    (tmp_path / "key").write_text(key)
    assert json.loads(_settings_probe(CONNECTOR_CREDENTIALS_KEYS_FILE=str(tmp_path / "key")).stdout) == [key]
    bad = _settings_probe(CONNECTOR_CREDENTIALS_KEYS="not-a-key")
    assert bad.returncode != 0 and "not a Fernet key" in bad.stderr


def test_pages_say_stored_and_never_show_the_secret(client, connector, lead_project):
    project, lead = lead_project
    client.force_login(lead)
    for path in ("", "edit/"):
        html = client.get(f"/projects/{project.pk}/connectors/{connector.pk}/{path}").content.decode()
        assert SECRET not in html and connector.credentials_encrypted not in html
        assert "stored" in html


def test_editing_without_a_secret_keeps_it_and_a_new_one_replaces_it(connector, lead_project):
    project, lead = lead_project
    connector_update(connector_id=connector.pk, expected_version=1, user=lead, name="Renamed")
    assert (
        crypto.decrypt_credentials(Connector.objects.get(pk=connector.pk).credentials_encrypted)["secret"]
        == SECRET
    )
    connector_update(
        connector_id=connector.pk, expected_version=2, user=lead, username="new@example.com", secret="fresh"
    )
    assert crypto.decrypt_credentials(Connector.objects.get(pk=connector.pk).credentials_encrypted) == {
        "username": "new@example.com",
        "secret": "fresh",
    }


def test_never_in_the_logs(connector, caplog):
    from connectors.sync import run_sync

    with caplog.at_level(logging.DEBUG):
        connector_test(connector=connector)
        run_sync(connector.pk, trigger="manual")
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert SECRET not in text and connector.credentials_encrypted not in text


def test_the_project_export_leaves_connectors_out(connector, tmp_path):
    labels = {node.label for node in exported_models()}
    assert not labels & {"connectors.connector", "connectors.syncrun", "connectors.ticket"}
    path = tmp_path / "project.zip"
    call_command("export_project", str(connector.project_id), str(path), stdout=open(tmp_path / "log", "w"))
    data = path.read_bytes()
    assert connector.credentials_encrypted.encode() not in data and SECRET.encode() not in data


def _backup_text(path: Path) -> str:
    parts = []
    for file in sorted(path.rglob("*")):
        if file.is_file():
            raw = file.read_bytes()
            parts.append(
                gzip.decompress(raw).decode("utf-8", "replace")
                if raw[:2] == b"\x1f\x8b"
                else raw.decode("utf-8", "replace")
            )
    return "\n".join(parts)


def test_the_backup_holds_the_connector_without_its_credentials(connector, tmp_path, media):
    call_command("backup", str(tmp_path / "backup"), stdout=open(tmp_path / "log", "w"))
    text = _backup_text(tmp_path / "backup")
    assert connector.name in text  # the connector itself is backed up
    assert connector.credentials_encrypted not in text and SECRET not in text
