"""A webhook must not become a way into the installation's own network."""

import pytest
from django.core.exceptions import ValidationError

from sms_tracker.core.webhook_delivery import check_destination


@pytest.fixture(autouse=True)
def _production(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost/hook",
        "http://api.localhost/hook",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata service
        "http://[::1]/",
        "http://0.0.0.0/",
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(ValidationError, match="internal address"):
        check_destination(url, resolve=False)


@pytest.mark.parametrize("url", ["ftp://example.com/", "javascript:alert(1)", "https:///nohost"])
def test_only_http_and_https_addresses_are_accepted(url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        check_destination(url, resolve=False)


def test_a_public_address_is_accepted():
    check_destination("https://93.184.215.14/hook", resolve=False)
    check_destination("https://hooks.example.com/sms", resolve=False)  # a name: resolved when posting


def test_internal_addresses_are_allowed_where_the_setting_says_so(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    check_destination("http://127.0.0.1:9000/", resolve=True)


def test_the_setting_is_off_outside_the_embedded_start():
    # The settings module as loaded (the fixture above changes only django.conf.settings).
    import sms_tracker.settings as loaded

    assert loaded.DEBUG is False and loaded.WEBHOOK_ALLOW_PRIVATE_ADDRESSES is False
