"""Health data and contacts in a request's texts (`core.public_text.health_found`,
`personal_data_found`): the public summary refuses emails, @handles, profile links and
health words with a sentence saying where they go; the details take health words only
with the consent to processing health data — page and API alike."""

import json

import pytest
from django.core.exceptions import ValidationError

from dobry.accounts.tests.factories import written_consent
from dobry.core.public_text import health_found
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import submission
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.helprequests.tests.test_services import FIELDS
from dobry.helprequests.tests.test_views import FORM

pytestmark = pytest.mark.django_db
MOVE_IT = (
    "Краткое описание видят все: сведения о здоровье ({words}) перенесите в поле «Сведения "
    "о здоровье» — оно защищено и заполняется с согласием на их обработку."
)
DETAILS_REFUSED = (
    "Сведения о здоровье ({words}) перенесите в поле «Сведения о здоровье» и дайте согласие "
    "на их обработку: без согласия их указывать нельзя."
)


@pytest.mark.parametrize(
    ("summary", "what"),
    [
        ("Продукты, пишите на ivan@mail.ru", "адрес электронной почты"),
        ("Связаться через @ivan_petrov", "ник или ссылку на страницу человека"),
        ("Страница vk.com/id123456, помочь с покупками", "ник или ссылку на страницу человека"),
    ],
)
def test_a_summary_with_contacts_is_refused(resident, summary, what):
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields={**FIELDS, "summary": summary})
    assert error.value.message_dict["summary"] == [
        f"Краткое описание видят все: уберите из него {what}."
    ]
    assert not HelpRequest.objects.exists()


def test_a_summary_with_health_words_says_to_move_them(resident):
    summary = "Продукты после инсульта, инвалид 1 группы, диабет"
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields={**FIELDS, "summary": summary})
    words = "«инсульта», «инвалид 1 группы», «диабет»"
    assert error.value.message_dict["summary"] == [MOVE_IT.format(words=words)]


def test_the_api_refuses_the_summary_with_the_sentence(client, resident):
    client.force_login(resident)
    response = client.post(
        "/api/v1/help-requests",
        json.dumps({**FIELDS, "summary": "Помочь после инсульта"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["summary"] == [MOVE_IT.format(words="«инсульта»")]


def test_details_with_health_words_need_the_health_consent(resident):
    with pytest.raises(ValidationError) as error:
        submission.request_submit(
            requester=resident, fields={**FIELDS, "details": "ВИЧ, онкология; нужны продукты"}
        )
    assert error.value.message_dict["details"] == [
        DETAILS_REFUSED.format(words="«ВИЧ», «онкология»")
    ]


def test_details_with_health_words_pass_with_the_consent(resident):
    written_consent(resident)
    help_request = submission.request_submit(
        requester=resident,
        fields={**FIELDS, "details": "ВИЧ, онкология; нужны продукты"},
        health_info="Онкология, слабость",
        health_consent=True,
    )
    assert help_request.has_health_info


def test_a_correction_adding_health_words_to_details_is_refused(resident):
    help_request = HelpRequestFactory(requester=resident, status=HelpRequest.Status.NEW)
    with pytest.raises(ValidationError):
        submission.request_update(
            actor=resident, help_request=help_request, fields={"details": "После инфаркта"}
        )
    help_request.refresh_from_db()
    assert help_request.details == "Хлеб, молоко, лекарства по рецепту"


def test_the_page_shows_the_sentence_next_to_the_summary(client, resident):
    client.force_login(resident)
    page = client.post("/help/new/", {**FORM, "summary": "Помочь после инсульта"})
    assert page.status_code == 200
    assert MOVE_IT.format(words="«инсульта»") in page.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        "Помочь семье с ребёнком-инвалидом: занятия 2 раза в неделю",
        "Занятия с детьми, 2 группы по 5 человек",
        "Убрать снег после драки во дворе",
        "Проводить в поликлинику к окулисту",
    ],
)
def test_ordinary_sentences_have_no_health_words(text):
    assert health_found(text) == []
