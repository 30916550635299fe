"""Webhooks never reach the installation's own network (SSRF): loopback, private, link-local, multicast, reserved,
unspecified and other non-global addresses are refused, IPv4 and IPv6 (IPv4-mapped IPv6 judged as the IPv4 it
carries), except the networks of ``settings.WEBHOOK_ALLOWED_NETWORKS`` (the demo's and the tests' receivers on
127.0.0.1; empty in production).

Checked twice: when the address is saved (each address its host resolves to now), and at delivery on the address
actually connected to -- the connection is opened to the IP that passed the check, so a DNS answer that changes
in between (DNS rebinding) cannot slip through.
"""

import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(OSError):
    """The host resolves to an internal address: nothing was sent."""


def _allowed_networks(allowed=None):
    return [
        ipaddress.ip_network(n, strict=False)
        for n in (settings.WEBHOOK_ALLOWED_NETWORKS if allowed is None else allowed)
    ]


def refusal(address: IPAddress, allowed=None) -> str:
    """Why ``address`` may not receive webhooks ("" when it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in _allowed_networks(allowed)):
        return ""
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind
    return "" if address.is_global else "non-global"


def resolve(host: str, port: int) -> list[tuple]:
    """``getaddrinfo`` for a TCP connection to host:port (the host may be an IP literal)."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _ip(sockaddr) -> IPAddress:
    return ipaddress.ip_address(
        sockaddr[0].split("%", 1)[0]
    )  # an IPv6 scope (fe80::1%eth0) is not an address


def url_refusal(url: str, allowed=None) -> str:
    """At save: the internal address ``url``'s host resolves to, or "" (a host that does not resolve now is
    left to the delivery-time check)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return ""
    try:
        infos = resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        return ""
    for *_, sockaddr in infos:
        address = _ip(sockaddr)
        if refusal(address, allowed):
            return str(address)
    return ""


def connect(host: str, port: int, timeout) -> socket.socket:
    """A TCP connection to the first address of ``host`` that is allowed; ``AddressRefused`` when none is."""
    error: OSError = AddressRefused(f"{host}: no address")
    for family, kind, proto, _name, sockaddr in resolve(host, port):
        address = _ip(sockaddr)
        reason = refusal(address)
        if reason:
            error = AddressRefused(f"{host} -> {address} ({reason}): indirizzo interno non consentito")
            continue
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError as failure:
            sock.close()
            error = failure
            continue
        return sock
    raise error


class GuardedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = connect(self.host, self.port, self.timeout)


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = connect(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST ``body`` to ``url`` through a guarded connection; the HTTP status (redirects are not followed, no
    proxy from the environment is used). ``OSError`` (``AddressRefused`` among them) when nothing answers."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    connection_class = GuardedHTTPSConnection if parts.scheme == "https" else GuardedHTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
