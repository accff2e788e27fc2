"""A webhook must not become a way into the installation's own network."""

import socket

import pytest
from django.core.exceptions import ValidationError

from kernel.webhook_delivery import check_destination


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
        # Issue 19 defect 7: addresses that are not globally routable unicast, or that carry an
        # internal IPv4 address inside an IPv6 one.
        "http://224.0.0.1/",  # multicast (all hosts)
        "http://[ff02::1]/",  # IPv6 multicast
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 form of 169.254.169.254
        "http://[64:ff9b::a00:1]/",  # NAT64 form of 10.0.0.1
        "http://[::a9fe:a9fe]/",  # IPv4-compatible form of 169.254.169.254
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped loopback
        "http://[::ffff:a9fe:a9fe]/",  # IPv4-mapped metadata service
        "http://[2002:a9fe:a9fe::1]/",  # 6to4 carrying 169.254.169.254
        "http://[2002:c0a8:1::1]/",  # 6to4 carrying 192.168.0.1
        "http://[2001:0:4136:e378:8000:63bf:f5ff:fefe]/",  # Teredo, client 10.0.1.1
        "http://[::]/",  # unspecified
        "http://240.0.0.1/",  # reserved
        "http://255.255.255.255/",  # broadcast
        "http://100.64.0.1/",  # shared address space (carrier-grade NAT)
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",  # 127.0.0.1 in hex and short form
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
    check_destination("https://[2606:4700:4700::1111]/hook", resolve=False)
    check_destination("https://[64:ff9b::5db8:d70e]/hook", resolve=False)  # NAT64 of a public address
    check_destination("https://hooks.example.com/sms", resolve=False)  # a name: resolved when posting


def test_internal_addresses_are_allowed_where_the_setting_says_so(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    check_destination("http://127.0.0.1:9000/", resolve=True)


def test_the_setting_is_off_outside_the_embedded_start():
    # The settings module as loaded (the fixture above changes only django.conf.settings).
    import sms_tracker.settings as loaded

    assert loaded.DEBUG is False and loaded.WEBHOOK_ALLOW_PRIVATE_ADDRESSES is False


@pytest.mark.parametrize("answer", ["224.0.0.1", "64:ff9b::a9fe:a9fe", "::a00:1", "240.0.0.1"])
def test_a_name_that_resolves_to_a_refused_address_is_refused(answer, monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in answer else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (answer, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(ValidationError, match="internal address"):
        check_destination("https://hooks.example.com/sms", resolve=True)


@pytest.mark.parametrize("url", ["http://224.0.0.1/", "http://0.0.0.0/", "http://[::]/", "http://240.0.0.1/"])
def test_multicast_unspecified_and_reserved_are_refused_even_where_internal_addresses_are_allowed(
    url, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with pytest.raises(ValidationError):
        check_destination(url, resolve=False)
