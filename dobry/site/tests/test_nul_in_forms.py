"""A NUL character, another control character or a bidi override typed into a page's form
is refused at the field, and the page comes back with what was typed (issue 11): every page
of the URL conf (its existing objects), read as each demo role, has each of its POST forms
sent with a vertical tab, a right-to-left override and a NUL in every text field. The answer
is the form again — 200 (or 422) with the field's errors (the control's and NUL's) — and
nothing is written.

A form that posts to another page's action (a reason under a button, a note beside a list)
is not shown again by that action: it comes back to its page with the field's error as a
message, or, read with `request_values.form_values`, is a 400 naming the field — never a
write.

A NUL in a query string, a path or a field's name stays a 400 page
(`core/tests/test_request_values.py`): no form is shown again for those.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, resolve

from dobry.accounts.demo import DEMO_ACCOUNTS, demo_user
from dobry.site.testing import routes as _routes
from dobry.site.testing import urls as _urls

NUL_ERROR = "Данные содержат запрещённый символ: ноль-байт"
CONTROL_ERROR = "Текст содержит недопустимый невидимый символ U+000B"
# A vertical tab and a right-to-left override inside the text (a leading or trailing
# vertical tab is whitespace a form strips, and a textarea's value may be only a newline),
# then a NUL.
HOSTILE = "Т\x0bекст\u202e\x00"
# A line break in a one-line field (any text input: a name, a title, a place) and a
# zero-width space in every text field, a textarea's among them: refused at the field too.
ONE_LINE_HOSTILE = "Т\nекст\u200b"
AREA_HOSTILE = "Т\u200bекст"
LINE_ERROR = "Это поле — одна строка: уберите перенос строки."
ZERO_WIDTH_ERROR = "Текст содержит недопустимый невидимый символ U+200B"
REFUSED_PARAMETER = ("недопустимый символ NUL", "недопустимый невидимый управляющий символ")
TEXT_INPUTS = ("text", "email", "search", "tel", "url", "password")
# Actions whose message does not yet say what the field refused (nothing is written; the
# message is the action's generic one). Each should call `core.feedback.form_error_message`;
# their apps are being reorganised by their owners, who take these over.
GENERIC_MESSAGE = {
    "helprequests:transition": "«Выберите один из допустимых статусов.» for any refusal",
    "helprequests:offer": "an invalid `emails` is taken as none given",
    "grants:manager_add": "«На портале нет пользователя с таким email.» for any refusal",
}


class _Form:
    def __init__(self, action: str) -> None:
        self.action = action
        self.values: list[tuple[str, str]] = []
        self.texts: set[str] = set()
        self.buttons: list[tuple[str, str]] = []
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None
        self.areas: set[str] = set()

    def with_nul(self, line_breaks: bool = False) -> dict[str, list[str]]:
        """The values the page filled in, `HOSTILE` after every text (with `line_breaks`:
        `ONE_LINE_HOSTILE` after a text input's, `AREA_HOSTILE` after a textarea's), and
        the first named button."""
        data: dict[str, list[str]] = {}
        for name, value in self.values:
            if name in self.texts:
                hostile = HOSTILE
                if line_breaks:
                    hostile = AREA_HOSTILE if name in self.areas else ONE_LINE_HOSTILE
                value = (value or "Текст") + hostile
            data.setdefault(name, []).append(value)
        for name, value in self.buttons[:1]:
            data.setdefault(name, []).append(value)
        return data


class _PostForms(HTMLParser):
    """The POST forms of a page that have a field a person types text into."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[_Form] = []
        self.form: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.form = None
            if attributes.get("method", "get").lower() == "post":
                self.form = _Form(attributes.get("action") or self.url)
                self.forms.append(self.form)
        elif self.form is not None:
            self._field(self.form, tag, attributes)

    def _field(self, form: _Form, tag: str, attributes: dict[str, str]) -> None:
        name = attributes.get("name", "")
        kind = attributes.get("type", "submit" if tag == "button" else "text").lower()
        if tag in ("button", "input") and kind == "submit":
            if name:
                form.buttons.append((name, attributes.get("value", "")))
        elif tag == "input" and name and kind not in ("button", "reset", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                form.values.append((name, attributes.get("value", "on" if kind else "")))
            if kind in TEXT_INPUTS and "readonly" not in attributes:
                form.texts.add(name)
        elif tag == "select" and name:
            form.select, form.select_value = name, None
        elif tag == "option" and form.select is not None:
            if form.select_value is None or "selected" in attributes:
                form.select_value = attributes.get("value", "")
        elif tag == "textarea" and name:
            form.textarea = name
            form.values.append((name, ""))
            form.texts.add(name)
            form.areas.add(name)

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


class _RolledBack(Exception):
    pass


def _send(client: Client, action: str, data: dict[str, list[str]]) -> tuple[int, str, list[str]]:
    """POST `data` inside a transaction rolled back afterwards; (status, page, writes). The
    page of a redirect is the one it leads to (with the messages the action left)."""
    writes: list[str] = []

    def record(execute, sql, params, many, context):
        statement = sql.lstrip().split(None, 1)[0].upper()
        if statement in ("INSERT", "UPDATE", "DELETE") and "django_session" not in sql:
            writes.append(sql[:120])
        return execute(sql, params, many, context)

    status, page = 0, ""
    try:
        with transaction.atomic(), connection.execute_wrapper(record):
            response = client.post(action, data)
            status = response.status_code
            if status == 302:
                response = client.get(response["Location"])
            if not response.streaming:
                page = response.content.decode(errors="replace")
            raise _RolledBack
    except _RolledBack:
        pass
    return status, page, writes


def _view(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _refused(form: _Form, status: int, page: str, line_breaks: bool) -> bool:
    """Did the answer refuse the hostile text at the field (or as a parameter)?"""
    if status == 400 and any(text in page for text in REFUSED_PARAMETER):
        return True
    if not line_breaks:
        return NUL_ERROR in page and (CONTROL_ERROR in page or status in (302, 400))
    one_line = form.texts - form.areas
    if status in (302, 400):
        return LINE_ERROR in page or ZERO_WIDTH_ERROR in page
    return ZERO_WIDTH_ERROR in page and (not one_line or LINE_ERROR in page)


def _sweep(
    client: Client, sent: set[tuple[str, tuple[str, ...]]], line_breaks: bool = False
) -> list[str]:
    """Each POST form with a text field, once per view and set of fields."""
    failures = []
    for route in _routes(get_resolver()):
        url = next(_urls(route))
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _PostForms(url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(form.action)
            view = _view(action.path) if not action.netloc else None
            key = (view or "", tuple(sorted(form.texts)))
            if view is None or not form.texts or key in sent or view in GENERIC_MESSAGE:
                continue
            sent.add(key)
            status, page, writes = _send(client, form.action, form.with_nul(line_breaks))
            shown_again = (200, 422) if action.path == urlsplit(url).path else (302, 400)
            refused = _refused(form, status, page, line_breaks)
            if status not in shown_again or not refused or writes:
                failures.append(f"{url} → POST {form.action} [{view}]: {status} {writes[:2]}")
    return failures


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    files = {"MEDIA_ROOT": folder / "media", "DOBRY_PRIVATE_MEDIA_ROOT": folder / "private"}
    with django_db_blocker.unblock(), override_settings(**files):
        call_command("seed_passport")
    yield files
    with django_db_blocker.unblock():
        call_command("flush", interactive=False)


ROLES = [None] + [account.email for account in DEMO_ACCOUNTS]


@pytest.mark.sweep
@pytest.mark.xdist_group("nul_forms")
@pytest.mark.django_db
def test_a_nul_typed_in_any_form_is_refused_at_the_field_and_nothing_is_saved(demo, settings):
    for name, value in demo.items():
        setattr(settings, name, value)
    sent: set[tuple[str, tuple[str, ...]]] = set()
    failures = []
    for email in ROLES:
        client = Client()
        if email:
            client.force_login(demo_user(email))
        failures += _sweep(client, sent)
    assert len(sent) > 30, sorted(sent)
    assert failures == [], "\n".join(failures)


@pytest.mark.sweep
@pytest.mark.xdist_group("nul_forms")
@pytest.mark.django_db
def test_a_line_break_in_a_one_line_field_and_a_zero_width_space_are_refused(demo, settings):
    """Every text input of every POST form gets «Т\\nекст\\u200b», every textarea
    «Т\\u200bекст»: the page shows «Это поле — одна строка…» at each text input and the
    U+200B refusal, and nothing is written (issue 11)."""
    for name, value in demo.items():
        setattr(settings, name, value)
    sent: set[tuple[str, tuple[str, ...]]] = set()
    failures = []
    for email in ROLES:
        client = Client()
        if email:
            client.force_login(demo_user(email))
        failures += _sweep(client, sent, line_breaks=True)
    assert len(sent) > 30, sorted(sent)
    assert failures == [], "\n".join(failures)
