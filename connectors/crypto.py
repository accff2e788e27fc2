"""Connector credentials, encrypted at rest with Fernet keys from the environment.

`CONNECTOR_CREDENTIALS_KEYS`: the first key encrypts, every key decrypts (MultiFernet), so a key is
rotated by putting the new one first and re-saving (or `rotate`). The plain credentials exist only in
the worker's memory while a sync runs: they are never rendered, exported, backed up in clear or logged
(the error texts below name no value)."""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsUnavailable(Exception):
    """No key is configured, or the stored token was made with a key no longer configured."""


def _fernet() -> MultiFernet:
    keys = settings.CONNECTOR_CREDENTIALS_KEYS
    if not keys:
        raise CredentialsUnavailable(
            "Credentials cannot be stored or read: the server has no CONNECTOR_CREDENTIALS_KEYS set "
            "(ask the operator; docs/connectors.md)."
        )
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_credentials(credentials: dict) -> str:
    return _fernet().encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def decrypt_credentials(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise CredentialsUnavailable(
            "The stored credentials cannot be read with the configured keys: enter them again."
        ) from None


def rotate(token: str) -> str:
    """The same credentials under the first key (after a new key was put first)."""
    return _fernet().rotate(token.encode()).decode() if token else token
