"""Which organisations may publish news, and for whom: told by the site.

Who is an owner or an editor of which organisation, and which are verified, is the
organisations app's knowledge; that app sits above this one, so it cannot be imported
here. `dobry.site` hands in the two lists news needs at start-up (`site/hooks.py`), as the
organisations app's own queries — the same rule as its pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from dobry.core.permissions import Actor


@dataclass(frozen=True)
class Newsrooms:
    """`verified()`: every verified organisation (what the city's items may name);
    `edited_by(user)`: the verified organisations whose owner or editor `user` is (what
    they may write for). Both are querysets of the organisations app's model: news reads
    only their primary keys and their names (`str`)."""

    verified: Callable[[], QuerySet[Any]]
    edited_by: Callable[[Actor], QuerySet[Any]]


_provided: list[Newsrooms] = []


def provide_newsrooms(newsrooms: Newsrooms) -> None:
    """Called once by the site at start-up (a second call replaces the first)."""
    _provided[:] = [newsrooms]


def newsrooms() -> Newsrooms:
    if not _provided:
        raise ImproperlyConfigured("dobry.site has not provided the newsrooms of news")
    return _provided[0]
