"""The package's own world is what production runs: hashed static names, DEBUG off, local time."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.templatetags.static import static
from django.utils import timezone


def test_static_names_are_hashed_and_debug_is_off(local_tz):
    assert not settings.DEBUG
    assert isinstance(staticfiles_storage, ManifestFilesMixin)
    url = static("css/pdf.css")
    assert url.startswith("/static/css/pdf.") and url != "/static/css/pdf.css"
    assert timezone.get_current_timezone() == ZoneInfo(local_tz)
