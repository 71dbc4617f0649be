"""Every link a person is shown leads somewhere they may go (issue 11 §6, issue 19), and no
page repeats an id.

One seeding of the demo data, then a crawl per role: the menu, then the pages it leads to,
then one more step, every `<a href>` on the way. A link that answers 403 means a page shows
an action its own permission function refuses; the crawl names the page that showed it.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from dobry.accounts.demo import DEMO_ACCOUNTS, demo_user

# Links that change state or leave the HTML site are not followed.
SKIPPED = re.compile(r"^/(admin/|api/|static/|media/|accounts/logout/|a11y/|i18n/)")
PAGES_PER_VIEW = 2  # pages of one view differ only in data: two of each are enough
DEPTH = 3


class _Links(HTMLParser):
    """The links of a page, and the ids it repeats (a label or an error message pointing
    at a repeated id reaches the wrong element)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.repeated_ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(str(attributes["href"]))
        element_id = attributes.get("id")
        if element_id:
            if element_id in self.ids:
                self.repeated_ids.add(element_id)
            self.ids.add(element_id)


def _internal(href: str) -> str | None:
    href = urldefrag(href).url
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIPPED.match(parts.path):
        return None
    return href


def crawl(client: Client) -> tuple[dict[str, str], dict[str, set[str]]]:
    """GET every link reachable from the home page within `DEPTH` steps.

    Returns ({url that answered 403: the page that linked to it},
    {url of a page that repeats an id: the ids}).
    """
    seen: set[str] = {"/"}
    per_view: dict[str, int] = {}
    forbidden: dict[str, str] = {}
    repeated: dict[str, set[str]] = {}
    queue: deque[tuple[str, str, int]] = deque([("/", "", 0)])
    while queue:
        url, referrer, depth = queue.popleft()
        response = client.get(url)
        if response.status_code == 403:
            forbidden[url] = referrer
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        if parser.repeated_ids:
            repeated[url] = parser.repeated_ids
        if depth >= DEPTH:
            continue
        for href in parser.hrefs:
            target = _internal(href)
            if target is None or target in seen:
                continue
            seen.add(target)
            try:
                view = resolve(urlsplit(target).path).view_name
            except Resolver404:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            if per_view[view] <= PAGES_PER_VIEW:
                queue.append((target, url, depth + 1))
    return forbidden, repeated


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Seeding is the slowest thing a test can do; the links do not depend on the database,
    # so the crawl runs in the SQLite run of CI only (the low-vision sweep in the other).
    if connection.vendor == "postgresql":
        pytest.skip("the crawl runs once, on SQLite")
    with django_db_blocker.unblock():
        call_command("seed_passport")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False)


ROLES = [None] + [account.email for account in DEMO_ACCOUNTS]


@pytest.mark.xdist_group("crawl")  # one worker seeds once for every role
@pytest.mark.parametrize("email", ROLES, ids=[email or "anonymous" for email in ROLES])
@pytest.mark.django_db
def test_no_link_shown_to_a_role_answers_403(demo, email):
    client = Client()
    if email:
        client.force_login(demo_user(email))
    forbidden, repeated = crawl(client)
    assert not forbidden, "\n".join(f"{url} ← shown on {page}" for url, page in forbidden.items())
    assert not repeated, repeated
