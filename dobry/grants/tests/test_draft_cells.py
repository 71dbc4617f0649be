"""A draft keeps its table cells as typed, but a number cell only when it reads as a number
(`parse_decimal`: digits 0–9, finite, below a trillion) and a date cell only in the accepted
range — «²», 1e400 or 0001-01-01 are refused at the cell, never stored (issue 11 §2)."""

import json

import pytest

from dobry.grants.content import submission_errors
from dobry.grants.models import Application
from dobry.grants.tests.factories import (
    applicant_organization,
    complete_content,
    open_competition,
)
from dobry.grants.tests.test_api import JSON, bearer

pytestmark = pytest.mark.django_db
RANGE = "Дата должна быть между 01.01.1990 и 31.12.2100."
DIGITS = "Введите число цифрами, например 12 500,50."
TOO_LARGE = "Слишком большое число: не больше 999\u00a0999\u00a0999\u00a0999,99."


@pytest.fixture
def draft(official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    applicant = bearer(leader)
    pk = applicant.post(
        f"/api/v1/competitions/{competition.pk}/applications",
        {"organization": organization.pk},
        content_type=JSON,
    ).json()["id"]
    saved = applicant.patch(
        f"/api/v1/applications/{pk}",
        {"title": "Проект", "content": complete_content()},
        content_type=JSON,
    )
    assert saved.status_code == 200
    return applicant, pk


def patch_raw(applicant, pk, body: str):
    return applicant.generic("PATCH", f"/api/v1/applications/{pk}", body, content_type=JSON)


def with_cell(table: str, column: str, value) -> dict:
    content = complete_content()
    content[table][0][column] = value
    return content


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("budget", "requested", "²", DIGITS),
        ("budget", "requested", "٣", DIGITS),
        ("budget", "unit_cost", "1e400", TOO_LARGE),
        ("budget", "quantity", "NaN", DIGITS),
        ("budget", "cofinancing", "Infinity", DIGITS),
        ("budget", "requested", "9" * 25, TOO_LARGE),
        ("indicators", "target", "²", DIGITS),
        ("calendar", "starts_on", "0001-01-01", RANGE),
        ("calendar", "ends_on", "9999-12-31", RANGE),
        ("calendar", "ends_on", "31.12.2027", "Нужна дата в виде ГГГГ-ММ-ДД."),
    ],
)
def test_a_cell_that_is_not_a_number_or_a_date_in_range_is_refused_at_the_cell(
    draft, table, column, value, message
):
    applicant, pk = draft
    before = Application.objects.get(pk=pk).content
    response = applicant.patch(
        f"/api/v1/applications/{pk}",
        {"content": with_cell(table, column, value)},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {f"content.{table}.0.{column}": [message]}
    assert Application.objects.get(pk=pk).content == before


def test_a_json_number_too_large_for_a_float_is_refused_not_stored_as_infinity(draft):
    applicant, pk = draft
    content = json.dumps({"content": with_cell("budget", "requested", 0)}).replace(
        '"requested": 0', '"requested": 1e400'
    )
    response = patch_raw(applicant, pk, content)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["content.budget.0.requested"]
    assert Application.objects.get(pk=pk).content["budget"][0]["requested"] == "100000"


def test_numbers_as_people_type_them_are_kept_as_typed(draft):
    applicant, pk = draft
    content = with_cell("budget", "unit_cost", "110 000,00")
    content["budget"][0]["requested"] = -5  # a sign is the submission's to refuse
    response = applicant.patch(
        f"/api/v1/applications/{pk}", {"content": content}, content_type=JSON
    )
    assert response.status_code == 200
    budget = Application.objects.get(pk=pk).content["budget"][0]
    assert (budget["unit_cost"], budget["requested"]) == ("110 000,00", "-5")


def test_a_submission_says_the_accepted_range_of_a_calendar_date_not_to_give_one(official):
    competition = open_competition(official)
    content = with_cell("calendar", "starts_on", "0001-01-01")
    content["calendar"][0]["ends_on"] = ""
    errors = submission_errors(competition, "Проект", content)
    assert errors["content.calendar.0.starts_on"] == [RANGE]
    assert errors["content.calendar.0.ends_on"] == ["Укажите дату окончания."]
