"""Whether a request came through our own reverse proxy, whose forwarding headers we believe."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def is_trusted_proxy(address: str) -> bool:
    """True when `address` is one of settings.TRUSTED_PROXY_ADDRESSES (addresses or networks)."""
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXY_ADDRESSES:
        entry = entry.strip()
        if entry == "*":
            return True
        try:
            if peer in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False
