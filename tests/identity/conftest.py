"""A real OpenID Connect provider (tests/oidc_provider, django-oauth-toolkit) for the SSO journeys.

Started once per test process as a subprocess on 127.0.0.1, on a free port in 8100-8199, with an
RS256 key generated for the run; SMS Tracker's live server is registered as its client.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.api.conftest import api, token_for  # noqa: F401  (the API tests' fixtures, for test_project_mfa)

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"
PROVIDER_ID = "acme"
VICTIM_EMAIL = "victim@example.test"  # the provider's unverified claim for mallory


@dataclass
class Provider:
    url: str
    client_id: str
    client_secret: str

    def app_settings(self, name="Acme ID"):
        return {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": name,
                        "client_id": self.client_id,
                        "secret": self.client_secret,
                        "settings": {
                            "server_url": f"{self.url}/o",
                            "oauth_pkce_enabled": True,
                            "scope": ["openid", "profile", "email"],
                        },
                    }
                ]
            }
        }


def _free_port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = 8100 + (int(worker) if worker.isdigit() else 0) * 10
    for port in [*range(start, 8200), *range(8100, start)]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8100-8199")


def _rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "idp.settings",
        "IDP_DATABASE": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "IDP_RSA_PRIVATE_KEY": _rsa_pem(),
        "PYTHONPATH": str(PROVIDER_DIR),
    }
    env.pop("DATABASE_URL", None)

    def manage(*args, **kwargs):
        return [sys.executable, str(PROVIDER_DIR / "manage.py"), *args]

    provider = Provider(url="", client_id="sms-tracker", client_secret=secrets.token_hex(24))
    subprocess.run(manage("migrate", "--noinput", "-v", "0"), env=env, check=True, cwd=PROVIDER_DIR)
    redirect_uri = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    subprocess.run(
        manage(  # option=value: a value starting with "-" is not read as another option
            "idp_seed",
            f"--client-id={provider.client_id}",
            f"--client-secret={provider.client_secret}",
            f"--redirect-uri={redirect_uri}",
            f"--unverified-email={VICTIM_EMAIL}",
        ),
        env=env,
        check=True,
        cwd=PROVIDER_DIR,
    )
    port = _free_port()
    provider.url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("idp-log") / "runserver.log"
    server = subprocess.Popen(
        manage("runserver", "--noreload", f"127.0.0.1:{port}"),
        env=env,
        cwd=PROVIDER_DIR,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{provider.url}/o/.well-known/openid-configuration") as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"The test identity provider did not start: {log.read_text()}"
                    ) from None
                time.sleep(0.2)
        yield provider
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider):
    """SMS Tracker configured for the provider, as OIDC_* in the environment would configure it."""
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.app_settings()
    return oidc_provider
