"""Where an application's content errors are (issue 11): the API named some `budget`, some
`content.x`. Every content error, of a draft saved or of a submission, is now at its path in
the API's schema — `content.<part>`, `content.<table>.<row>`, `content.<table>.<row>.<column>`
(the title is `title`) — and this sweep makes every message the content rules can give,
through the API's 422s, and checks where each is."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

import dobry.grants.content
from dobry.accounts.services import api_token_create
from dobry.grants.content import KEYS, MAX_CELL, MAX_ROWS, MAX_TEXT, ROWS
from dobry.grants.services import applications
from dobry.grants.tests.factories import (
    applicant_organization,
    complete_content,
    open_competition,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"

_ROW = complete_content()["budget"][0]
# bodies a draft save refuses (`clean_content`)
REFUSED_DRAFTS = [
    {"script": "x", "goals": 42, "problem": "я" * (MAX_TEXT + 1)},
    {"calendar": "not a table", "indicators": [{"name": "Люди"}] * (MAX_ROWS + 1)},
    {"budget": ["not a row", {"item": ["x"], "secret": "x", "unit_cost": "я" * (MAX_CELL + 1)}]},
    {"budget": [{"requested": 10 ** (MAX_CELL + 1)}]},
    # cells that are no number or no date in range: a draft keeps none of them
    {
        "calendar": [{"title": "Встречи", "starts_on": "31.01.2027", "ends_on": "0001-01-01"}],
        "indicators": [{"name": "Люди", "unit": "чел.", "target": "много"}],
        "budget": [
            _ROW
            | {"quantity": "много", "unit_cost": "1e30", "requested": "1.5e3"}
            | {"cofinancing": "0," + "1" * 45}
        ],
    },
]
# content a submission refuses (`submission_errors`): saved, then submitted
REFUSED_SUBMISSIONS = [
    {"summary": " ", "calendar": [], "indicators": [], "budget": []},
    {
        "calendar": [{"title": "", "starts_on": "", "ends_on": ""}],
        "indicators": [{"name": "", "unit": "", "target": ""}],
        "budget": [_ROW | {"item": "", "quantity": "", "unit_cost": ""}],
    },
    {
        "calendar": [{"title": "Встречи", "starts_on": "2027-03-02", "ends_on": "2027-03-01"}],
        "indicators": [{"name": "Люди", "unit": "чел.", "target": "0"}],
        "budget": [_ROW | {"quantity": "-1"}],
    },
    {"budget": [_ROW | {"requested": "5", "cofinancing": "7", "cofinancing_source": ""}]},
    {"tasks": ""},  # 400 000 requested, over the maximum grant
    # outside the competition's period of projects (2027, set by the fixture)
    {"calendar": [{"title": "Встречи", "starts_on": "2026-12-31", "ends_on": "2028-01-01"}]},
]


def _in_the_schema(path: str, sent: dict) -> bool:
    """Whether `path` is `content.<part>[.<row>[.<column>]]` of the application's content
    (or of what was sent: an unknown part or column is refused at the place it was sent)."""
    parts = path.split(".")
    if parts[0] != "content" or not 2 <= len(parts) <= 4:
        return False
    part = parts[1]
    if len(parts) == 2:
        return part in KEYS or part in sent
    if part not in ROWS or not re.fullmatch(r"0|[1-9][0-9]*", parts[2]):
        return False
    if len(parts) == 3:
        return True
    row = (sent.get(part) or [])[int(parts[2]) :][:1]
    sent_columns = set(row[0]) if row and isinstance(row[0], dict) else set()
    return parts[3] in ROWS[part] or parts[3] in sent_columns


def _messages_the_rules_give() -> set[str]:
    """Every field message written in `grants/content.py` (up to its first placeholder)."""
    text = Path(dobry.grants.content.__file__).read_text()
    found = re.findall(r'(?:_|ngettext)\(\s*"([^"]+)"', text)
    return {message.split("%(")[0] for message in found}


@pytest.fixture
def draft(official):
    competition = open_competition(
        official, projects_from=date(2027, 1, 1), projects_until=date(2027, 12, 31)
    )
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    _token, raw = api_token_create(user=leader, name="tests")
    return application, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _refusals(application, client) -> list[tuple[str, str, dict]]:
    """(where, message, what was sent) of every refusal of the sweep."""
    url = f"/api/v1/applications/{application.pk}"
    found = []
    for content in REFUSED_DRAFTS:
        refused = client.patch(url, {"content": content}, content_type=JSON)
        assert refused.status_code == 422, content
        found += [(k, m, content) for k, ms in refused.json()["errors"].items() for m in ms]
    for changes in REFUSED_SUBMISSIONS:
        content = complete_content(400_000) | changes
        saved = client.patch(url, {"title": "", "content": content}, content_type=JSON)
        assert saved.status_code == 200, saved.content
        refused = client.post(f"{url}/submit")
        assert refused.status_code == 422, changes
        found += [(k, m, content) for k, ms in refused.json()["errors"].items() for m in ms]
    return found


def test_every_content_error_names_its_path_in_the_schema(draft):
    found = _refusals(*draft)
    misplaced = [
        (where, message)
        for where, message, sent in found
        if where != "title" and not _in_the_schema(where, sent)
    ]
    assert misplaced == []
    assert {where for where, _message, _sent in found} >= {
        "title",
        "content.script",
        "content.goals",
        "content.calendar",
        "content.budget.0",
        "content.budget.1.secret",
        "content.budget.1.unit_cost",
        "content.indicators.0.target",
    }


def test_the_sweep_gives_every_message_of_the_content_rules(draft):
    given = {message for _where, message, _sent in _refusals(*draft)}
    never = [
        message
        for message in _messages_the_rules_give()
        if not any(text.startswith(message) for text in given)
    ]
    # the whole refusal's own message, not a field's
    assert never == ["Черновик не сохранён, ничего не изменилось: исправьте поля с ошибками."]


@pytest.mark.parametrize(
    ("path", "placed"),
    [
        ("content.budget.2.requested", True),
        ("content.summary", True),
        ("content.calendar.0", True),
        ("budget.2.requested", False),  # the page's name, not the schema's
        ("budget", False),
        ("content.budget.x", False),
        ("content.budget.02", False),
        ("content.budget.0.amount", False),
        ("content.summary.0", False),
        ("content.budget.0.requested.1", False),
    ],
)
def test_the_sweep_tells_a_path_of_the_schema_from_any_other(path, placed):
    assert _in_the_schema(path, {}) is placed
