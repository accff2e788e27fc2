"""A delivery connects to the address that was checked (issue 19 defect 7): the name is resolved once,
so a DNS answer that changes between the check and the connection (DNS rebinding) cannot send the
payload to an internal address; the request still names the host (Host header, TLS SNI and the
certificate check are for the name)."""

import datetime
import http.server
import ipaddress
import socket
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kernel import safe_http
from kernel.webhook_delivery import DeliveryStatus, RetryLater, delivery_attempt
from projects import services as project_services
from tests.factories import make_task, make_webhook
from webhooks.models import WebhookDelivery

PUBLIC = "93.184.215.14"  # a global address; no packet is sent there (connections are redirected below)


@pytest.fixture
def rebinding_dns(monkeypatch):
    """A name whose first answer is a public address and every later one 127.0.0.1 (the attacker's
    DNS server with a TTL of 0). Connections to the public address are redirected to `target`
    (the test's own receiver on 127.0.0.1), and every connection is recorded."""
    state = {"lookups": [], "connections": [], "target": None}
    real_connect = socket.socket.connect

    def getaddrinfo(host, port, *args, **kwargs):
        state["lookups"].append(host)
        answer = PUBLIC if len(state["lookups"]) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]

    def connect(sock, address):
        state["connections"].append(address)
        if isinstance(address, tuple) and address[0] == PUBLIC:
            address = state["target"]
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return state


@pytest.mark.django_db
def test_a_delivery_goes_to_the_address_that_was_checked_not_a_second_answer(
    world, receiver, settings, rebinding_dns
):
    port = receiver.server.server_address[1]
    rebinding_dns["target"] = ("127.0.0.1", port)
    make_webhook(
        world.project,
        user=world.user("lead"),
        url=f"http://hooks.rebind.example:{port}/hook",
        events=["task.done"],
    )
    project_services.task_set_done(task=make_task(world.project), user=world.user("lead"))
    delivery = WebhookDelivery.objects.get()
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"

    assert rebinding_dns["lookups"] == ["hooks.rebind.example"]  # resolved once
    assert rebinding_dns["connections"] == [(PUBLIC, port)]  # to the checked address only
    (received,) = receiver.requests
    assert received.headers["Host"] == f"hooks.rebind.example:{port}"


@pytest.mark.django_db
def test_a_name_that_rebinds_to_an_internal_address_gets_nothing(world, receiver, settings, monkeypatch):
    """The same attack the other way round: checked while internal, so refused; never a second look."""
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    make_webhook(
        world.project, user=world.user("lead"), url="http://meta.rebind.example/", events=["task.done"]
    )
    project_services.task_set_done(task=make_task(world.project), user=world.user("lead"))
    delivery = WebhookDelivery.objects.get()
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)

    assert lookups == ["meta.rebind.example"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and "internal address" in delivery.last_error


# --- HTTPS: SNI and the certificate are for the name --------------------------------------------


def _certificate(tmp_path, name):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_receiver(tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for hooks.tls.example; records SNI and Host."""
    cert, key = _certificate(tmp_path, "hooks.tls.example")
    seen = {"sni": [], "host": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen["host"].append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client_context = ssl.create_default_context(cafile=str(cert))
    yield server.server_address[1], seen, client_context
    server.shutdown()
    server.server_close()


def _resolve_to_loopback(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
    )


def test_https_to_a_pinned_address_keeps_sni_host_and_the_certificate_check(tls_receiver, monkeypatch):
    port, seen, context = tls_receiver
    _resolve_to_loopback(monkeypatch)

    reply = safe_http.post(
        f"https://hooks.tls.example:{port}/hook",
        body=b"{}",
        headers={"Content-Type": "application/json"},
        timeout=5,
        allow_private=True,
        ssl_context=context,
    )

    assert reply.status == 204
    assert seen["sni"] == ["hooks.tls.example"]
    assert seen["host"] == [f"hooks.tls.example:{port}"]


def test_a_certificate_for_another_name_is_refused(tls_receiver, monkeypatch):
    port, seen, context = tls_receiver
    _resolve_to_loopback(monkeypatch)
    with pytest.raises(ssl.SSLCertVerificationError):
        safe_http.post(
            f"https://other.tls.example:{port}/hook",
            body=b"{}",
            headers={},
            timeout=5,
            allow_private=True,
            ssl_context=context,
        )
    assert seen["host"] == []


def test_the_checks_agree_with_ipaddress_on_plain_addresses():
    assert safe_http.address_allowed(ipaddress.ip_address("93.184.215.14"))
    assert safe_http.address_allowed(ipaddress.ip_address("2606:4700:4700::1111"))
    assert not safe_http.address_allowed(ipaddress.ip_address("10.0.0.1"))
    assert safe_http.address_allowed(ipaddress.ip_address("10.0.0.1"), allow_private=True)
