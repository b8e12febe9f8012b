"""Which endpoint URLs and addresses a delivery may go to (SSRF protection).

An endpoint URL must be absolute http(s) with a host, https when required, and every
address its host resolves to must be public unless an allow-listed network contains
it. The check runs when the endpoint is saved and again for every request, on the
address the request is then pinned to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class EndpointRefused(ValueError):
    """Why an endpoint URL or address may not receive deliveries."""


def check_url(url: str, *, require_https: bool) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an acceptable URL, or :class:`EndpointRefused`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise EndpointRefused("the endpoint URL must start with https:// (or http:// locally)")
    if require_https and parts.scheme != "https":
        raise EndpointRefused("the endpoint URL must use https")
    if not parts.hostname:
        raise EndpointRefused("the endpoint URL has no host")
    if parts.username or parts.password:
        raise EndpointRefused("the endpoint URL may not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise EndpointRefused("the endpoint URL has an invalid port") from None
    return parts.scheme, parts.hostname, port


def check_address(address: IPAddress, allowed: Sequence[IPNetwork]) -> None:
    """Refuse non-public addresses (private, loopback, link-local, ...) unless allowed."""
    if any(address in network for network in allowed):
        return
    if not address.is_global or address.is_multicast:
        raise EndpointRefused(
            f"{address} is not a public address (private, loopback, link-local or reserved)"
        )


def parse_networks(values: Sequence[str]) -> list[IPNetwork]:
    return [ipaddress.ip_network(v, strict=False) for v in values]
