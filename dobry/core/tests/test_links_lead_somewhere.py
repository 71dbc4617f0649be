"""Every link and button a person is shown leads somewhere they may go (issue 11 §6, issue
19), and no page repeats an id.

One seeding of the demo data, then a crawl per role: the menu, then the pages it leads to,
then one more step, every `<a href>` on the way. A link that answers 403 means a page shows
an action its own permission function refuses, 404 a link to nothing; the crawl names the
page that showed it.
Every form on those pages is sent too, once per submit button, with the values the page
filled in, inside a transaction that is rolled back: a button that answers 403, 404 or 405
is shown where its action is refused (an answer of 200 with the form's errors, or a redirect
with a message, is a refusal the person can read).
"""

import re
from collections import deque
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client

from dobry.accounts.demo import DEMO_ACCOUNTS, demo_user
from dobry.site.testing import seeded_demo, view_name

# Links that change state or leave the HTML site are not followed.
SKIPPED = re.compile(r"^/(admin/|api/|static/|media/|accounts/logout/|a11y/|i18n/)")
PAGES_PER_VIEW = 2  # pages of one view differ only in data: two of each are enough
DEPTH = 3


class _Form:
    """A form as the browser would send it: its action, method, the values the page put in
    its fields, and one entry per submit button (name and value, or none)."""

    def __init__(self, action: str, method: str) -> None:
        self.action = action
        self.method = method
        self.values: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str] | None] = []
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None

    def submissions(self) -> list[list[tuple[str, str]]]:
        return [self.values + ([button] if button else []) for button in self.buttons or [None]]


class _Links(HTMLParser):
    """The links and forms of a page, and the ids it repeats (a label or an error message
    pointing at a repeated id reaches the wrong element)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.hrefs: list[str] = []
        self.forms: list[_Form] = []
        self.form: _Form | None = None
        self.ids: set[str] = set()
        self.repeated_ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        element_id = attributes.get("id")
        if element_id:
            if element_id in self.ids:
                self.repeated_ids.add(element_id)
            self.ids.add(element_id)
        if tag == "form":
            self.form = _Form(
                attributes.get("action") or self.url, attributes.get("method", "get").lower()
            )
            self.forms.append(self.form)
        elif self.form is not None:
            self._field(self.form, tag, attributes)

    def _field(self, form: _Form, tag: str, attributes: dict[str, str]) -> None:
        name = attributes.get("name", "")
        kind = attributes.get("type", "submit" if tag == "button" else "text").lower()
        if tag in ("button", "input") and kind == "submit":
            form.buttons.append((name, attributes.get("value", "")) if name else None)
        elif tag == "input" and name and kind not in ("button", "reset", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                form.values.append((name, attributes.get("value", "on" if kind else "")))
        elif tag == "select" and name:
            form.select, form.select_value = name, None
        elif tag == "option" and form.select is not None:
            if form.select_value is None or "selected" in attributes:
                form.select_value = attributes.get("value", "")
        elif tag == "textarea" and name:
            form.textarea = name
            form.values.append((name, ""))

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.form.textarea is not None:
            name, text = self.form.values[-1]
            self.form.values[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if self.form is None:
            return
        if tag == "select" and self.form.select is not None:
            if self.form.select_value is not None:
                self.form.values.append((self.form.select, self.form.select_value))
            self.form.select = None
        elif tag == "textarea":
            self.form.textarea = None
        elif tag == "form":
            self.form = None


def _internal(href: str) -> str | None:
    href = urldefrag(href).url
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIPPED.match(parts.path):
        return None
    return href


def crawl(client: Client) -> tuple[dict[str, str], dict[str, set[str]], dict[str, str]]:
    """GET every link reachable from the home page within `DEPTH` steps, and send every form
    on the way (`send_forms`).

    Returns ({"url → 403 or 404": the page that linked to it},
    {url of a page that repeats an id: the ids},
    {"POST url [button] → status": the page that showed the button}).
    """
    seen: set[str] = {"/"}
    per_view: dict[str, int] = {}
    forbidden: dict[str, str] = {}
    repeated: dict[str, set[str]] = {}
    refused: dict[str, str] = {}
    sent: dict[tuple[str, str, str], int] = {}
    queue: deque[tuple[str, str, int]] = deque([("/", "", 0)])
    while queue:
        url, referrer, depth = queue.popleft()
        response = client.get(url)
        if response.status_code in (403, 404):
            forbidden[f"{url} → {response.status_code}"] = referrer
            continue
        if "text/html" not in response.get("Content-Type", ""):
            _drain(response)
            continue
        parser = _Links(url)
        parser.feed(response.content.decode())
        if parser.repeated_ids:
            repeated[url] = parser.repeated_ids
        for form in parser.forms:
            refused.update(send_form(client, form, url, sent))
        if depth >= DEPTH:
            continue
        for href in parser.hrefs:
            target = _internal(href)
            if target is None or target in seen:
                continue
            seen.add(target)
            view = view_name(target)
            if view is None:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            if per_view[view] <= PAGES_PER_VIEW:
                queue.append((target, url, depth + 1))
    return forbidden, repeated, refused


def _drain(response: HttpResponseBase) -> None:
    """Read a file download to its end, so the test client closes the file it streams."""
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


class _RolledBack(Exception):
    pass


def send_form(
    client: Client, form: _Form, page: str, sent: dict[tuple[str, str, str], int]
) -> dict[str, str]:
    """Send `form` once per submit button (at most `PAGES_PER_VIEW` times per view and
    button), each inside a transaction rolled back afterwards, from a copy of the client so a
    button that signs out or deletes the account does not end the crawl.

    Returns {"METHOD url [button] → status": page} for each answer of 403, 404 or 405.
    """
    action = _internal(form.action)
    if action is None:
        return {}
    view = view_name(action)
    if view is None:
        return {f"{form.method.upper()} {action} → 404": page}
    refused = {}
    for values in form.submissions():
        button = next((value for name, value in values[len(form.values) :]), "")
        key = (view, form.method, button)
        sent[key] = sent.get(key, 0) + 1
        if sent[key] > PAGES_PER_VIEW:
            continue
        sender = Client()
        sender.cookies.load(client.cookies)
        status = _send(sender, form.method, action, values)
        if status in (403, 404, 405):
            refused[f"{form.method.upper()} {action} [{button}] → {status}"] = page
    return refused


def _send(client: Client, method: str, action: str, values: list[tuple[str, str]]) -> int:
    data: dict[str, list[str]] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    status = 0
    # Files live outside the transaction: a rolled-back «remove attachment» must leave them.
    try:
        with transaction.atomic(), mock.patch.object(FileSystemStorage, "delete"):
            if method == "post":
                response = client.post(action, data)
            else:
                response = client.get(urlsplit(action).path, data)
            status = response.status_code
            _drain(response)
            raise _RolledBack
    except _RolledBack:
        pass
    return status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module (`site.testing.seeded_demo`)."""
    # Seeding is the slowest thing a test can do; the links do not depend on the database,
    # so the crawl runs in the SQLite run of CI only (the low-vision sweep in the other).
    if connection.vendor == "postgresql":
        pytest.skip("the crawl runs once, on SQLite")
    yield from seeded_demo(django_db_blocker, tmp_path_factory)


ROLES = [None] + [account.email for account in DEMO_ACCOUNTS]


@pytest.mark.sweep
@pytest.mark.xdist_group("crawl")  # one worker seeds once for every role
@pytest.mark.parametrize("email", ROLES, ids=[email or "anonymous" for email in ROLES])
@pytest.mark.django_db
def test_no_link_or_button_shown_to_a_role_is_refused(demo, settings, email):
    for name, value in demo.items():
        setattr(settings, name, value)
    client = Client()
    if email:
        client.force_login(demo_user(email))
    forbidden, repeated, refused = crawl(client)
    assert not forbidden, "\n".join(f"{url} ← shown on {page}" for url, page in forbidden.items())
    assert not repeated, repeated
    assert not refused, "\n".join(f"{form} ← shown on {page}" for form, page in refused.items())
