"""An application's text sent through the API was cut at 20,000 characters without a word
(issue 11 hardening §2). Now a text, a table cell or a table over its limit is refused with
a 422 naming the field and nothing is saved; on the page the form says so at the field and
shows what was typed; autosave reports it instead of «saved». The experts' comments and the
commission's members are refused the same way."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.core.errors import DomainError
from dobry.grants.content import MAX_CELL, MAX_TEXT
from dobry.grants.models import ApplicationAttachment, CommissionMember
from dobry.grants.services import applications, assignments, decisions, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    applicant_organization,
    close_applications,
    expert_pool,
    open_competition,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"
TOO_LONG = "Слишком длинный текст: не больше 20000 символов."


@pytest.fixture
def draft(official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Проект", content={"summary": "Было"}
    )
    return application, leader


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_refuses_a_text_over_20000_characters_and_keeps_the_saved_one(draft):
    application, leader = draft
    client = _bearer(leader)
    url = f"/api/v1/applications/{application.pk}"
    refused = client.patch(url, {"content": {"summary": "я" * (MAX_TEXT + 1)}}, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"content.summary": [TOO_LONG]}
    application.refresh_from_db()
    assert application.content["summary"] == "Было"
    kept = client.patch(url, {"content": {"summary": "я" * MAX_TEXT}}, content_type=JSON)
    assert kept.status_code == 200
    assert len(kept.json()["content"]["summary"]) == MAX_TEXT  # whole, not a character less


def test_the_api_refuses_a_cell_over_its_limit_and_values_of_the_wrong_type(draft):
    application, leader = draft
    client = _bearer(leader)
    url = f"/api/v1/applications/{application.pk}"
    refused = client.patch(
        url,
        {
            "content": {
                "budget": [{"item": "я" * (MAX_CELL + 1)}],
                "goals": {"nested": "object"},
                "calendar": "not a table",
            }
        },
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "content.budget.0.item": ["Слишком длинный текст: не больше 1000 символов."],
        "content.goals": ["Нужен текст."],
        "content.calendar": ["Нужен список строк таблицы."],
    }
    title = client.patch(url, {"title": "я" * 301}, content_type=JSON)
    assert title.status_code == 422
    assert list(title.json()["errors"]) == ["title"]
    application.refresh_from_db()
    assert (application.title, application.content) == ("Проект", {"summary": "Было"})


def test_the_service_refuses_a_title_over_its_limit(draft):
    application, leader = draft
    with pytest.raises(DomainError) as error:
        applications.application_save(
            user=leader, application=application, title="я" * 301, content={}
        )
    assert error.value.field_errors == {"title": ["Слишком длинный текст: не больше 300 символов."]}


def test_the_page_says_so_at_the_field_and_shows_what_was_typed(draft, login_as):
    application, leader = draft
    client = login_as(leader)
    url = f"/grants/applications/{application.pk}/edit/"
    typed = "я" * (MAX_TEXT + 1)
    response = client.post(url, {"title": "Проект", "summary": typed, "budget-0-item": "Чай"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "не более 20000 символов (сейчас 20001)" in page  # at the field
    assert typed in page  # nothing typed is lost
    assert 'value="Чай"' in page  # the tables as typed too
    application.refresh_from_db()
    assert application.content == {"summary": "Было"}


def test_the_page_shows_a_cell_over_its_limit_at_the_cell(draft, login_as):
    application, leader = draft
    client = login_as(leader)
    cell = "я" * (MAX_CELL + 1)
    response = client.post(
        f"/grants/applications/{application.pk}/edit/",
        {"title": "Проект", "summary": "Стало", "budget-0-item": cell},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Слишком длинный текст: не больше 1000 символов." in page
    assert 'href="#budget-0-item"' in page  # the summary links to the cell
    assert cell in page
    application.refresh_from_db()
    assert application.content == {"summary": "Было"}


def test_autosave_reports_a_refusal_instead_of_saved(draft, login_as):
    application, leader = draft
    client = login_as(leader)
    url = f"/grants/applications/{application.pk}/edit/"
    too_long = client.post(url, {"autosave": "1", "title": "", "summary": "я" * (MAX_TEXT + 1)})
    assert too_long.status_code == 422
    assert too_long.json()["saved"] is False
    assert too_long.json()["errors"]["content.summary"] == [
        "Убедитесь, что это значение содержит не более 20000 символов (сейчас 20001)."
    ]
    cell = client.post(url, {"autosave": "1", "budget-0-item": "я" * (MAX_CELL + 1)})
    assert cell.status_code == 422
    assert list(cell.json()["errors"]) == ["content.budget.0.item"]
    application.refresh_from_db()
    assert application.content == {"summary": "Было"}
    assert client.post(url, {"autosave": "1", "summary": "Стало"}).json() == {"saved": True}


def test_an_attachment_title_over_its_limit_is_refused_and_a_missing_one_is_the_file_name(
    draft,
):
    application, leader = draft

    def upload():
        return SimpleUploadedFile("смета.pdf", b"%PDF-1.4 budget", "application/pdf")

    with pytest.raises(DomainError) as error:
        applications.application_attach(
            user=leader, application=application, title="я" * 201, upload=upload()
        )
    assert list(error.value.field_errors) == ["title"]
    assert not ApplicationAttachment.objects.exists()
    attached = applications.application_attach(
        user=leader, application=application, title="", upload=upload()
    )
    assert attached.title == "смета.pdf"


def test_an_experts_comment_over_its_limit_is_refused_not_cut(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    (expert,) = expert_pool(competition, official, 1)
    review = assignments.review_assign(actor=official, application=application, expert=expert)
    reviews.conflict_declare(user=expert.user, application=application, conflict=False)
    criterion = competition.criteria.first()
    with pytest.raises(DomainError) as error:
        reviews.review_save(
            user=expert.user,
            review=review,
            scores={criterion.pk: 3},
            comments={criterion.pk: "я" * 2001},
        )
    assert error.value.field_errors == {
        f"comments.{criterion.pk}": ["Слишком длинный текст: не больше 2000 символов."]
    }
    response = _bearer(expert.user).put(
        f"/api/v1/reviews/{review.pk}",
        {"scores": {str(criterion.pk): 3}, "comments": {str(criterion.pk): "я" * 2001}},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [f"comments.{criterion.pk}"]
    review.refresh_from_db()
    assert review.comments == {}


def test_a_commission_member_over_the_limits_is_refused(official):
    competition = close_applications(open_competition(official, budget=Decimal(500_000)))
    with pytest.raises(DomainError) as error:
        decisions.meeting_create(
            actor=official,
            competition=competition,
            held_at=competition.applications_close,
            quorum=1,
            members=[{"name": "я" * 201, "position": "я" * 301, "sector": "nko"}],
        )
    assert error.value.field_errors == {
        "members.0.name": ["Слишком длинный текст: не больше 200 символов."],
        "members.0.position": ["Слишком длинный текст: не больше 300 символов."],
    }
    assert not CommissionMember.objects.exists()
