"""Whole public pages kept for anonymous visitors, forgotten on every write (issue 17).

The anonymous home page, catalogues and lists are most of a city's traffic and the same for
every visitor, so `@public_page` keeps each answer whole in the cache — under its host, path
with query, language and the settings of the mode for the visually impaired — and serves it
again until anything in the platform changes. Every save or delete of a model of the
platform's apps (`post_save`, `post_delete`, `m2m_changed`) moves the pages' generation on
once its transaction commits (once per transaction, however many rows it writes), which
makes every kept page stale at once. Not before the commit: a visitor served between the
move and the commit would read the old rows and keep them under the new generation, stale
until the next write. A change made by a bulk `update()`, which sends
no signal, shows within `DOBRY_PAGE_CACHE_SECONDS` (the pages' lifetime, 300 s; 0 turns the
cache off, as in the test suite).

Each page carries the visitor's own CSRF token: the kept copy holds a placeholder in its
place, filled with the visitor's token when served (Django's token is masked afresh for
each response, so a copy must never carry another visitor's). Not kept: signed-in visitors (a session or an API token),
requests with a message waiting (`messages` cookie), answers other than 200, and answers
that set a cookie of their own. The pages are kept in a cache of their own (`CACHES["pages"]`):
anyone can ask for as many addresses as they like, and culling those must never evict the
login rate limits or the mailings' sending limit kept in the default one.
"""

import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.translation import get_language

from dobry.core import accessibility

GENERATION_KEY = "pages:generation"
TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
PLACEHOLDER = b"\x00dobry-csrf\x00"
KEPT_HEADERS = ("Content-Type", "Content-Language")

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """Keep `view`'s answers for anonymous visitors (GET and HEAD) until the next write."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = caches["pages"].get(key)
        if kept is not None:
            return _served(request, kept)
        response = view(request, *args, **kwargs)
        if _keepable(response):
            caches["pages"].set(key, _kept(response), settings.DOBRY_PAGE_CACHE_SECONDS)
        return response

    return cached_view


def forget() -> None:
    """Make every kept page stale (a new generation)."""
    if settings.DOBRY_PAGE_CACHE_SECONDS:
        caches["pages"].set(GENERATION_KEY, time.time_ns(), None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.DOBRY_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META  # an API token's holder
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    generation = caches["pages"].get_or_set(GENERATION_KEY, time.time_ns, None)
    mode = accessibility.read(request).encode()
    return (
        f"pages:{generation}:{get_language()}:{mode}:{request.get_host()}:{request.get_full_path()}"
    )


def _keepable(response: HttpResponse) -> bool:
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()  # its content is what is kept
    return response.status_code == 200 and not response.streaming and not response.cookies


def _kept(response: HttpResponse) -> dict[str, Any]:
    content = response.content
    found = TOKEN_FIELD.search(content)
    if found:
        content = content.replace(found.group(1), PLACEHOLDER)
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    return {"content": content, "headers": headers, "token": found is not None}


def _served(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    content = kept["content"]
    if kept["token"]:  # the visitor's own token (and its cookie, set by the CSRF middleware)
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in kept["headers"].items():
        response[name] = value
    return response


_platform_apps: frozenset[str] = frozenset()


def _on_write(sender: type[Model], **kwargs: Any) -> None:
    if sender._meta.app_label not in _platform_apps or not settings.DOBRY_PAGE_CACHE_SECONDS:
        return
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    database = connections[using]
    if not database.in_atomic_block:
        forget()  # autocommit: the write is committed already
    elif not any(entry[1] is forget for entry in database.run_on_commit):
        transaction.on_commit(forget, using=using)  # once per transaction


def connect() -> None:
    """Forget the pages on every write to the platform's models (`CoreConfig.ready`)."""
    global _platform_apps
    _platform_apps = frozenset(
        config.label for config in apps.get_app_configs() if config.name.startswith("dobry.")
    )
    post_save.connect(_on_write, dispatch_uid="page_cache.save")
    post_delete.connect(_on_write, dispatch_uid="page_cache.delete")
    m2m_changed.connect(_on_write, dispatch_uid="page_cache.m2m")
