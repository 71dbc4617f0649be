"""A competition's period of projects: each activity of an application's calendar plan lies
within it (attacker's finding of issue 11: an application planned its work for 1990 and 2090
and was admitted). The rule is `content.submission_errors`, which the page and the API share;
the period is a term of the competition, set on its form and through the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dobry.accounts.tests.factories import bearer
from dobry.core.errors import DomainError
from dobry.grants.content import submission_errors
from dobry.grants.models import Competition
from dobry.grants.services import competitions
from dobry.grants.tests.factories import complete_content, open_competition

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _call(**terms) -> Competition:
    return Competition(
        kind=Competition.Kind.SONKO,
        min_grant=Decimal(50_000),
        max_grant=Decimal(300_000),
        sections=["calendar", "indicators", "budget"],
        **terms,
    )


def _errors(competition, starts_on, ends_on):
    row = {"title": "Встречи", "starts_on": starts_on, "ends_on": ends_on}
    found = submission_errors(competition, "Проект", complete_content() | {"calendar": [row]})
    return {key.removeprefix("content.calendar.0."): value for key, value in found.items()}


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "errors"),
    [
        ("2027-02-01", "2027-11-30", set()),  # inside
        ("2027-01-01", "2027-12-31", set()),  # the period's own first and last days
        ("2026-12-31", "2027-03-01", {"starts_on"}),  # a day early
        ("2027-03-01", "2028-01-01", {"ends_on"}),  # a day late
        ("1990-01-01", "2090-01-01", {"starts_on", "ends_on"}),
    ],
)
def test_every_activity_lies_within_the_period_of_projects(starts_on, ends_on, errors):
    call = _call(projects_from=date(2027, 1, 1), projects_until=date(2027, 12, 31))
    assert set(_errors(call, starts_on, ends_on)) == errors


def test_the_message_names_the_period_in_the_citys_way():
    call = _call(projects_from=date(2027, 1, 1), projects_until=date(2027, 12, 31))
    found = _errors(call, "1990-01-01", "2090-01-01")
    assert found["starts_on"] == ["Проекты конкурса идут с 1 января 2027."]
    assert found["ends_on"] == ["Проекты конкурса идут по 31 декабря 2027."]


@pytest.mark.parametrize(
    ("terms", "errors"),
    [
        ({}, set()),  # not limited: any date of the accepted range
        ({"projects_from": date(2027, 6, 1)}, {"starts_on"}),  # open at the end
        ({"projects_until": date(2027, 1, 31)}, {"ends_on"}),  # open at the start
    ],
)
def test_an_open_end_of_the_period_limits_nothing(terms, errors):
    assert set(_errors(_call(**terms), "2027-02-01", "2027-03-01")) == errors


def test_a_period_ending_before_it_begins_is_refused_with_nothing_saved(official):
    competition = open_competition(official)
    with pytest.raises(DomainError) as refused:
        competitions.competition_update(
            actor=official,
            competition=competition,
            projects_from=date(2027, 12, 31),
            projects_until=date(2027, 1, 1),
        )
    assert "projects_until" in refused.value.field_errors
    competition.refresh_from_db()
    assert competition.projects_from is None
    assert competition.projects_until is None


def test_staff_set_the_period_through_the_api_and_anyone_reads_it(official):
    competition = open_competition(official)
    staff = bearer(official)
    changed = staff.patch(
        f"/api/v1/competitions/{competition.pk}",
        {"projects_from": "2027-01-01", "projects_until": "2027-12-31"},
        content_type=JSON,
    )
    assert changed.status_code == 200, changed.content
    read = Client().get(f"/api/v1/competitions/{competition.pk}").json()
    assert (read["projects_from"], read["projects_until"]) == ("2027-01-01", "2027-12-31")
    backwards = staff.patch(
        f"/api/v1/competitions/{competition.pk}",
        {"projects_from": "2028-01-01"},
        content_type=JSON,
    )
    assert backwards.status_code in (400, 422)
    competition.refresh_from_db()
    assert competition.projects_from == date(2027, 1, 1)


def test_the_competitions_page_shows_the_period(official):
    competition = open_competition(
        official, projects_from=date(2027, 1, 1), projects_until=date(2027, 12, 31)
    )
    page = Client().get(competition.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Сроки проектов" in body
    assert "с 01.01.2027" in body
    assert "по 31.12.2027" in body


def test_the_competition_form_offers_the_period(official, login_as):
    competition = open_competition(official)
    page = login_as(official).get(reverse("grants:edit", args=[competition.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="projects_from"' in body
    assert 'name="projects_until"' in body
