"""Outbound HTTP to an address someone typed (webhook receivers): resolve the name once, refuse
anything but globally routable unicast addresses, connect to the very address that was checked, and
give up after one total deadline.

* **What is refused** (unless `allow_private`): loopback, private, link-local, shared (CGNAT),
  multicast, unspecified, reserved and documentation ranges — everything `ipaddress` does not call
  global — and IPv6 forms that carry an IPv4 address inside (IPv4-mapped `::ffff:a.b.c.d`,
  IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16`, Teredo
  `2001::/32`) when the IPv4 address inside would be refused: `[64:ff9b::a9fe:a9fe]` is
  169.254.169.254, the cloud metadata service, through a NAT64 gateway. Multicast, unspecified and
  reserved addresses are refused even where private ones are allowed: no HTTP server lives there
  (and 0.0.0.0 reaches the local host on Linux).
* **No second resolution**: the name is resolved once; if any address it resolves to is refused the
  destination is refused, otherwise the connection goes to an address of that answer. A name whose
  DNS answer changes between the check and the connection (DNS rebinding) cannot slip an internal
  address in. The request still carries the name: the `Host` header, and for HTTPS the SNI and the
  certificate check are for the name, not the address.
* **One deadline for everything**: resolving, connecting, the TLS handshake, sending and reading the
  answer together end at `timeout` seconds. Per-operation socket timeouts do not bound a receiver
  that sends a byte every few seconds; a timer shuts the socket down when the time is up.
* Redirects are not followed: a 3xx is an answer like any other.

Standard library only (http.client over a socket connected to the checked address): the libraries
that do this (advocate, for requests) are unmaintained.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_TEREDO = ipaddress.ip_network("2001::/32")


class DestinationRefused(ValueError):
    """The address is not one a request may go to; the message is for the person who typed it."""


class DeadlineExceeded(TimeoutError):
    pass


@dataclass(frozen=True)
class Reply:
    status: int
    reason: str


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo)."""
    if address.version != 6:
        return []
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    packed = address.packed
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # not :: or ::1, refused on their own
        found.append(ipaddress.IPv4Address(packed[12:]))
    if any(address in network for network in _NAT64):
        found.append(ipaddress.IPv4Address(packed[12:]))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address in _TEREDO and address.teredo is not None:
        found.extend(address.teredo)  # (server, client)
    return found


def address_allowed(address: IPAddress, *, allow_private: bool = False) -> bool:
    # Never a receiver, whatever the setting (IPv6's is_reserved covers ::/8, loopback and NAT64 among it).
    if address.is_multicast or address.is_unspecified or (address.version == 4 and address.is_reserved):
        return False
    if any(not address_allowed(inner, allow_private=allow_private) for inner in embedded_ipv4(address)):
        return False
    if allow_private:
        return True
    if address.version == 6 and (address.ipv4_mapped is not None or address in _IPV4_COMPATIBLE):
        return False  # an IPv4 address in IPv6 clothes: connect to it as IPv4 if it is public
    return address.is_global and not (address.is_private or address.is_loopback or address.is_link_local)


def literal_address(host: str) -> IPAddress | None:
    """The address a host name is written as, in any form the resolver would take ("127.1",
    "0x7f.0.0.1", "2130706433" are 127.0.0.1), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError):
        return None


def _split(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationRefused(_("Enter an http:// or https:// address."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise DestinationRefused(_("The address has an invalid port.")) from error
    return parts, parts.hostname, port


def _refused(host: str) -> DestinationRefused:
    return DestinationRefused(
        _("%(host)s is an internal address; webhooks go to public addresses only.") % {"host": host}
    )


def _resolve(host: str, port: int, deadline: float) -> list[IPAddress]:
    """getaddrinfo has no timeout of its own: it runs in a thread that is waited for until the deadline."""
    result: dict = {}

    def lookup():
        try:
            result["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            result["error"] = error

    worker = threading.Thread(target=lookup, daemon=True, name=f"resolve {host}")
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0))
    if worker.is_alive():
        raise DeadlineExceeded(_("Resolving %(host)s took longer than the time allowed.") % {"host": host})
    if "error" in result:
        raise DestinationRefused(_("The host %(host)s cannot be resolved.") % {"host": host}) from result[
            "error"
        ]
    addresses = []
    for info in result["infos"]:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])  # drop an IPv6 zone id
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_url(
    url: str,
    *,
    allow_private: bool,
    resolve: bool = True,
    timeout: float = 10.0,
    deadline: float | None = None,
) -> list[IPAddress]:
    """The addresses a request to `url` may connect to, or DestinationRefused. Without `resolve`
    (saving a form) only what the address says itself is checked: a literal IP, "localhost"."""
    _, host, port = _split(url)
    deadline = deadline if deadline is not None else time.monotonic() + timeout
    if host == "localhost" or host.endswith(".localhost"):
        if not allow_private:
            raise _refused(host)
        return [ipaddress.ip_address("127.0.0.1")] if resolve else []
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    elif not resolve:
        return []
    else:
        addresses = _resolve(host, port, deadline)
    if not addresses or any(not address_allowed(a, allow_private=allow_private) for a in addresses):
        raise _refused(host)
    return addresses


class _Pinned:
    """http.client's connection, with connect() going to a checked address instead of resolving
    `host` again. `host` stays the name: the Host header, and for HTTPS the SNI and certificate."""

    address: IPAddress
    deadline: float
    raw_socket: socket.socket | None = None
    reached = False  # connected: a failure after this is not a reason to try the next address

    def _open_socket(self) -> socket.socket:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded(_("No time left to connect."))
        family = socket.AF_INET6 if self.address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        self.raw_socket = sock
        sock.settimeout(remaining)
        sock.connect((str(self.address), self.port))
        self.reached = True
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    def __init__(self, host, port, *, address, deadline):
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.001))
        self.address, self.deadline = address, deadline

    def connect(self):
        self.sock = self._open_socket()


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, deadline, context=None):
        context = context or ssl.create_default_context()
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.001), context=context)
        self.address, self.deadline = address, deadline

    def connect(self):
        self.sock = self._context.wrap_socket(self._open_socket(), server_hostname=self.host)


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_private: bool = False,
    ssl_context: ssl.SSLContext | None = None,
) -> Reply:
    """POST `body` to `url` and return the status of the answer (its body is not read). Raises
    DestinationRefused, DeadlineExceeded (the whole exchange took longer than `timeout` seconds),
    OSError or http.client.HTTPException."""
    deadline = time.monotonic() + timeout
    parts, host, port = _split(url)
    addresses = check_url(url, allow_private=allow_private, deadline=deadline)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    last_error: Exception | None = None
    for address in addresses:
        if time.monotonic() >= deadline:
            break
        if parts.scheme == "https":
            connection = PinnedHTTPSConnection(
                host, port, address=address, deadline=deadline, context=ssl_context
            )
        else:
            connection = PinnedHTTPConnection(host, port, address=address, deadline=deadline)
        expired = threading.Event()

        def stop(connection=connection, expired=expired):
            expired.set()
            sock = connection.raw_socket
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked connect, send or recv
                except OSError:
                    pass

        timer = threading.Timer(max(deadline - time.monotonic(), 0), stop)
        timer.daemon = True
        timer.start()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            if expired.is_set():  # the socket was shut down mid-answer: what was read is not an answer
                raise DeadlineExceeded(
                    _("No complete answer within %(seconds)s s.") % {"seconds": f"{timeout:g}"}
                )
            return Reply(response.status, response.reason)
        except (OSError, http.client.HTTPException) as error:
            if expired.is_set():
                raise DeadlineExceeded(
                    _("No complete answer within %(seconds)s s.") % {"seconds": f"{timeout:g}"}
                ) from error
            last_error = error
            if connection.reached:
                raise  # the receiver was reached: its other addresses get no second copy
        finally:
            timer.cancel()
            connection.close()
    if last_error is None:
        raise DeadlineExceeded(_("No complete answer within %(seconds)s s.") % {"seconds": f"{timeout:g}"})
    raise last_error
