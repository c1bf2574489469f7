"""The client's address, one way for every user of it (audit, the public lookup's throttle, login lockout).

REMOTE_ADDR is the peer that opened the connection. Behind a reverse proxy that is the proxy, so every
citizen would share one address; the proxy puts the real client in X-Forwarded-For. That header is
written by whoever sends the request, so it is believed only when the peer is one of TRUSTED_PROXIES
(addresses or networks), and only as far back as the chain of trusted proxies goes: the first address
from the right that is not a trusted proxy is the client.
"""
import ipaddress
from functools import cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _address(address or "")
    return ip is not None and any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def from_trusted_proxy(request) -> bool:
    """Whether the peer is a trusted proxy, whose headers (X-Forwarded-For, X-Request-ID) may be believed."""
    return is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))


def client_ip(request) -> str:
    """The client's address as text: REMOTE_ADDR, or behind trusted proxies the nearest untrusted hop of
    X-Forwarded-For. Never a value the client alone chose."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(peer):
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer  # a malformed hop: trust nothing beyond the proxy
        if not is_trusted_proxy(hop):
            return str(_address(hop))
    return peer
