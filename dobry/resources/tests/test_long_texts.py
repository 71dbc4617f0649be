"""A consultation of 3 MB (API) or 5 MB (form) was saved: only the 10 MB body limit stopped
it (issue 11 §2). A question is at most `MESSAGE` characters, on the page and in the API
alike; longer is an error naming the field, never a 500, and nothing is saved."""

import json

import pytest

from dobry.core.text_limits import MESSAGE
from dobry.resources.models import Consultation, ConsultationMessage

pytestmark = pytest.mark.django_db


def test_the_question_has_one_limit_for_page_and_api():
    assert ConsultationMessage._meta.get_field("text").max_length == MESSAGE == 10_000


def test_a_3_mb_question_through_the_api_is_refused_naming_the_field(login_as, resident):
    body = {"topic": "legal", "subject": "Устав", "text": "x" * 3_000_000}
    response = login_as(resident).post(
        "/api/v1/consultations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "text": ["Слишком длинный текст: не больше 10000 символов."]
    }
    assert not Consultation.objects.exists()


def test_a_question_of_exactly_the_limit_is_accepted(login_as, resident):
    body = {"topic": "legal", "subject": "Устав", "text": "х" * MESSAGE}
    response = login_as(resident).post(
        "/api/v1/consultations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    assert len(ConsultationMessage.objects.get().text) == MESSAGE


def test_a_5_mb_question_through_the_form_is_a_form_error(login_as, resident):
    response = login_as(resident).post(
        "/desk/consultations/new/",
        {"topic": "legal", "subject": "Устав", "text": "x" * 5_000_000},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "Убедитесь, что это значение содержит не более 10000 символов (сейчас 5000000)."
    ]
    assert 'maxlength="10000"' in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_reply_over_the_limit_is_refused_in_the_api(login_as, resident):
    ask = {"topic": "legal", "subject": "Устав", "text": "Вопрос"}
    client = login_as(resident)
    pk = client.post(
        "/api/v1/consultations", json.dumps(ask), content_type="application/json"
    ).json()["id"]
    response = client.post(
        f"/api/v1/consultations/{pk}/messages",
        json.dumps({"text": "х" * (MESSAGE + 1)}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["text"]
    assert ConsultationMessage.objects.count() == 1
