"""The address of the person making a request, also behind a reverse proxy.

Behind nginx every request comes from the proxy's address; the client's is in
`X-Forwarded-For`, which anyone can also send themselves. The header is read only when the
request came from a proxy listed in `DOBRY_TRUSTED_PROXIES`, and then from the right: each
trusted proxy appends the address it saw, so the right-most address that is not a trusted
proxy is the client (anything to its left was written by the client and is not believed).
Rate limits (allauth, through the account adapter), consent records and anything else that
stores or counts by address use this one function.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address as text (`"203.0.113.7"`, `"2001:db8::1"`), or None when
    the connection's own address is missing or malformed."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not _trusted(remote):
        return str(remote) if remote is not None else None
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for item in reversed(forwarded.split(",")):
        address = _parse(item)
        if address is None:
            break  # a trusted proxy never writes garbage: stop at the last address it wrote
        client = address
        if not _trusted(address):
            break
    return str(client)


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in settings.DOBRY_TRUSTED_PROXIES)


def _parse(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5678"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
