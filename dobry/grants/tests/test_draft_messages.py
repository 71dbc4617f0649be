"""What a draft's messages say (issue 11): a sum of 1e30 was refused «не меньше нуля», and a
draft refused whole said «часть полей не сохранена» though nothing was saved. Each amount
now says what is wrong with it — too large, not a number, below zero — and a refused save
says that nothing was saved; the page and the API say the same."""

import html

import pytest
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.grants.content import MAX_CELL
from dobry.grants.models import Application
from dobry.grants.services import applications
from dobry.grants.tests.factories import (
    applicant_organization,
    complete_content,
    open_competition,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"
NOT_SAVED = "Черновик не сохранён, ничего не изменилось: исправьте поля с ошибками."
TOO_LARGE = "Слишком большое число: не больше 999\u00a0999\u00a0999\u00a0999,99."
NOT_A_NUMBER = "Введите число цифрами, например 12 500,50."
NEGATIVE = "Введите число не меньше нуля."
SUBMIT_REFUSED = "Заявка заполнена не полностью: исправьте отмеченные поля."


@pytest.fixture
def draft(official) -> tuple[Application, object]:
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Было", content={"summary": "Было"}
    )
    return application, leader


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _form(content: dict, title: str = "Проект") -> dict[str, str]:
    """The edit page's fields for `content`, as the browser posts them."""
    form = {"title": title, **{k: v for k, v in content.items() if isinstance(v, str)}}
    for table in ("calendar", "indicators", "budget"):
        for number, row in enumerate(content.get(table, [])):
            form |= {f"{table}-{number}-{key}": value for key, value in row.items()}
    return form


def _unchanged(application: Application) -> bool:
    application.refresh_from_db()
    return (application.title, application.content) == ("Было", {"summary": "Было"})


def test_a_patch_refused_for_its_indicators_says_nothing_was_saved(draft):
    application, leader = draft
    refused = _bearer(leader).patch(
        f"/api/v1/applications/{application.pk}",
        {"title": "Новое", "content": {"summary": "Новое", "indicators": "не таблица"}},
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "message": NOT_SAVED,
        "errors": {"content.indicators": ["Нужен список строк таблицы."]},
    }
    assert _unchanged(application)  # neither the title nor the summary sent with it


def test_the_page_says_nothing_was_saved_on_a_button_and_on_autosave(draft, login_as):
    application, leader = draft
    client = login_as(leader)
    url = f"/grants/applications/{application.pk}/edit/"
    data = {"title": "Новое", "summary": "Новое", "indicators-0-name": "я" * (MAX_CELL + 1)}
    page = client.post(url, data | {"save": ""})
    assert page.status_code == 200
    assert NOT_SAVED in html.unescape(page.content.decode())
    autosave = client.post(url, data | {"autosave": "1"})
    assert autosave.status_code == 422
    assert autosave.json()["message"] == NOT_SAVED
    assert list(autosave.json()["errors"]) == ["content.indicators.0.name"]
    assert _unchanged(application)


def test_a_form_refused_before_the_service_says_nothing_was_saved_too(draft, login_as):
    application, leader = draft
    client = login_as(leader)
    url = f"/grants/applications/{application.pk}/edit/"
    data = {"title": "я" * 301, "summary": "Новое"}
    page = client.post(url, data | {"save": ""})
    assert NOT_SAVED in html.unescape(page.content.decode())
    autosave = client.post(url, data | {"autosave": "1"})
    assert autosave.json()["message"] == NOT_SAVED
    assert list(autosave.json()["errors"]) == ["title"]
    assert _unchanged(application)


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (1e30, TOO_LARGE),  # a JSON number
        ("1e30", TOO_LARGE),
        ("9" * 50, TOO_LARGE),
        ("сто тысяч", NOT_A_NUMBER),
        ("²", NOT_A_NUMBER),
    ],
)
def test_the_api_refuses_a_draft_whose_amount_is_no_number_saying_why(draft, sent, message):
    application, leader = draft
    content = complete_content()
    content["budget"][0]["unit_cost"] = sent
    refused = _bearer(leader).patch(
        f"/api/v1/applications/{application.pk}",
        {"title": "Проект", "content": content},
        content_type=JSON,
    )
    assert refused.status_code == 422  # a draft keeps what is typed, if it is a number
    assert refused.json() == {
        "message": NOT_SAVED,
        "errors": {"content.budget.0.unit_cost": [message]},
    }
    assert _unchanged(application)


def test_the_api_keeps_a_negative_amount_in_a_draft_and_refuses_it_on_submission(draft):
    application, leader = draft
    client = _bearer(leader)
    content = complete_content()
    content["budget"][0]["unit_cost"] = -100
    saved = client.patch(
        f"/api/v1/applications/{application.pk}",
        {"title": "Проект", "content": content},
        content_type=JSON,
    )
    assert saved.status_code == 200
    refused = client.post(f"/api/v1/applications/{application.pk}/submit")
    assert refused.status_code == 422
    assert refused.json() == {
        "message": SUBMIT_REFUSED,
        "errors": {"content.budget.0.unit_cost": [NEGATIVE]},
    }


@pytest.mark.parametrize(
    ("typed", "message", "saved"),
    [("1e30", TOO_LARGE, False), ("сто тысяч", NOT_A_NUMBER, False), ("-100", NEGATIVE, True)],
)
def test_the_page_says_the_same_at_the_cell(draft, login_as, typed, message, saved):
    application, leader = draft
    content = complete_content()
    content["budget"][0]["unit_cost"] = typed
    response = login_as(leader).post(
        f"/grants/applications/{application.pk}/edit/", _form(content) | {"submit": ""}
    )
    page = html.unescape(response.content.decode())
    assert f'<a href="#budget-0-unit_cost">Бюджет, 1: Цена, ₽: {message}</a>' in page
    if saved:  # a number: the draft was saved by the same button; only the submission refused
        assert f"Черновик сохранён, заявка не подана. {SUBMIT_REFUSED}" in page
        application.refresh_from_db()
        assert application.content["budget"][0]["unit_cost"] == typed
    else:  # no number: nothing saved, as the API
        assert NOT_SAVED in page
        assert _unchanged(application)
    assert application.status == Application.Status.DRAFT
