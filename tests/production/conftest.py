"""The production-like world: manifest static storage over a collected STATIC_ROOT, DEBUG off, a
non-UTC TIME_ZONE. Every test in this package runs in it; tests about local days take `local_tz`,
which runs them once per time zone.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
TIME_ZONES = ("Asia/Tokyo", "America/Los_Angeles")


def production_storages(settings_storages):
    return {**settings_storages, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """`collectstatic` into a temporary STATIC_ROOT with the production storage (hashed names)."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=production_storages(settings.STORAGES)):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture(autouse=True)
def production_world(settings, collected_static):
    settings.DEBUG = False
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = production_storages(settings.STORAGES)
    settings.TIME_ZONE = TIME_ZONES[0]
    return settings


@pytest.fixture(params=TIME_ZONES)
def local_tz(request, production_world):
    production_world.TIME_ZONE = request.param
    return request.param


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
