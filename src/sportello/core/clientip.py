"""The client's address, as told by the reverse proxies the installation trusts, and nothing else.

Behind a proxy every request comes from the proxy's address: the client's is in ``X-Forwarded-For``, which anyone
can also write. So the header is read only when the request comes from a trusted proxy (``TRUSTED_PROXIES``,
addresses or networks), from the right, skipping the trusted hops: the first address that is not a trusted proxy is
the client. With no trusted proxy configured, the address is the connection's (``REMOTE_ADDR``).
"""

import functools
import hashlib
import hmac
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(remote_addr: str, forwarded_for: str, trusted_proxies: tuple[str, ...]) -> str:
    """The client address from the connection's address and the X-Forwarded-For chain (pure)."""
    networks = _networks(trusted_proxies)
    client = remote_addr
    if not _trusted(client, networks):
        return client
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return client  # a malformed hop: the last trusted one is all we know
        client = hop
        if not _trusted(hop, networks):
            return hop
    return client


def client_ip(request) -> str:
    """The client's address (also django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    meta = request.META
    return forwarded_client(
        meta.get("REMOTE_ADDR", ""),
        meta.get(settings.TRUSTED_PROXY_HEADER, ""),
        tuple(settings.TRUSTED_PROXIES),
    )


def client_fingerprint(request) -> str:
    """A keyed hash of the client's address: lets the limits count by address without storing it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, client_ip(request).encode(), hashlib.sha256).hexdigest()[:32]
