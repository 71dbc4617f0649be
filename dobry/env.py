"""Typed readers of environment variables that fail loudly on bad values.

Settings are read once at start-up; a typo in a deployment must stop the process with a
message naming the variable, not run with a silently different configuration.
"""

import ipaddress
import os
from pathlib import Path
from typing import Any

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


def database_settings(url: str, *, conn_max_age: int, pool_size: int) -> dict[str, Any]:
    """Django's DATABASES entry for `url` (dj-database-url's forms). `pool_size` > 0 opens
    a psycopg connection pool of at most that many connections in each process (Django
    5.2, PostgreSQL only; connections are then returned to the pool after each request
    instead of kept by CONN_MAX_AGE, which must be 0); 0: one persistent connection per
    process, reused for `conn_max_age` seconds. Either way a connection is checked before
    reuse (CONN_HEALTH_CHECKS), so a restarted database is reconnected without a restart.
    Raises ImproperlyConfigured for a pool on another database."""
    import dj_database_url

    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=0 if pool_size else conn_max_age)
    )
    config["CONN_HEALTH_CHECKS"] = True
    if pool_size:
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DOBRY_DB_POOL needs PostgreSQL (DATABASE_URL).")
        # min 1: an idle process keeps one connection, as CONN_MAX_AGE did; the wait for a
        # free connection is bounded, so a starved pool answers 503 rather than hanging.
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": 10,
        }
    return config


CACHE_SCHEMES = ("file", "redis", "rediss")


def cache_settings(url: str, *, default_folder: Path) -> dict[str, Any]:
    """Django's CACHES["default"] for DOBRY_CACHE_URL: empty — files under `default_folder`
    (one machine); `file:///absolute/folder`; `redis://[:password@]host:port/db` or
    `rediss://…` (TLS) — one cache shared by every machine, Django's RedisCache (several
    addresses, comma-separated: the first is written to, the others read). Raises
    ImproperlyConfigured for another scheme or a file URL without a folder."""
    from urllib.parse import urlsplit

    if not url.strip():
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": default_folder,
        }
    locations = [item.strip() for item in url.split(",") if item.strip()]
    schemes = {urlsplit(location).scheme for location in locations}
    if len(schemes) != 1 or not schemes <= set(CACHE_SCHEMES):
        raise ImproperlyConfigured(
            f"DOBRY_CACHE_URL must start with {', '.join(s + '://' for s in CACHE_SCHEMES)}; "
            f"got {url!r}."
        )
    if schemes == {"file"}:
        folder = urlsplit(locations[0]).path
        if len(locations) != 1 or not folder.startswith("/") or folder == "/":
            raise ImproperlyConfigured(
                f"DOBRY_CACHE_URL must name one absolute folder (file:///var/cache/dobry), got {url!r}."
            )
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": Path(folder),
        }
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": locations if len(locations) > 1 else locations[0],
    }


def page_cache_settings(default: dict[str, Any], *, entries: int) -> dict[str, Any]:
    """CACHES["pages"], the kept public pages (`dobry.core.page_cache`), beside `default`:
    the same store under its own key prefix, so that many addresses asked for (`?x=1`,
    `?x=2`…) cull only kept pages, never the login rate limits. In files, a folder of its own
    keeping at most `entries` pages: Django's 300 culls all the time at a city's 5,000 event
    pages, and each page written lists the folder (4 ms at 5,000 files, 16 ms at 20,000,
    measured; docs/benchmarks.md). Redis bounds pages by its `maxmemory`."""
    pages = {**default, "KEY_PREFIX": "pages"}
    if default["BACKEND"].endswith("LocMemCache"):
        pages["LOCATION"] = "pages"
    elif default["BACKEND"].endswith("FileBasedCache"):
        pages["LOCATION"] = str(Path(default["LOCATION"]) / "pages")
        pages["OPTIONS"] = {**default.get("OPTIONS", {}), "MAX_ENTRIES": entries}
    return pages
