"""Typed readers of environment variables that fail loudly on bad values.

Settings are read once at start-up; a typo in a deployment must stop the process with a
message naming the variable, not run with a silently different configuration.
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_file(name: str) -> str:
    """The path of an existing file, or "" when the variable is unset or empty."""
    value = os.environ.get(name, "").strip()
    if value and not os.path.isfile(value):
        raise ImproperlyConfigured(f"{name} must name an existing file, got {value!r}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no, got {value!r}.")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return value


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def env_ip_networks(name: str, default: list[str]) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or CIDR blocks (`127.0.0.1, 10.0.0.0/8, ::1`)."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks (CIDR), got {item!r}."
            ) from None
    return tuple(networks)


def env_url(name: str, default: str) -> str:
    """An origin (``http(s)://host[:port]``, no path or query), without a trailing slash."""
    from urllib.parse import urlsplit

    value = os.environ.get(name, default).strip()
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"{name} must be an address like https://dobry.example.org, got {value!r}."
        )
    return value.rstrip("/")
