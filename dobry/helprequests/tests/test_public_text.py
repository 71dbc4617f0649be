"""The public summary of a help request carries no name or address (issue 11 §1): the
tester's two summaries were accepted; ordinary sentences must still pass."""

import pytest
from django.core.exceptions import ValidationError

from dobry.core.public_text import address_found, name_found
from dobry.helprequests.services import submission
from dobry.helprequests.tests.test_services import FIELDS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("summary", "what"),
    [
        # the tester's examples: names and addresses of someone else than the recipient given
        ("Помочь Марии Ивановой с ул. Ленина д. 5 кв 12", "имя, адрес"),
        ("Иванова Мария Петровна, Ленина 5-12", "имя, адрес"),
        ("Продукты на улица Ленина", "адрес"),
        ("Отвезти на проспект Мира", "адрес"),
        ("Отвезти к врачу с пр. Курчатова", "адрес"),
        ("Починить кран, дом 5", "адрес"),
        ("Занести продукты в квартира 12", "адрес"),
        ("Продукты к подъезду, кв. 7", "адрес"),
        ("Ленина, 5/12: помочь с уборкой", "адрес"),
        ("Проводить Ивана Петровича в поликлинику", "имя"),
        ("Помочь Анне Сергеевне с лекарствами", "имя"),
        ("Позвонить Зинаиде Ильиничне", "имя"),
        ("Соседова Зинаида просит помочь", "имя"),
        ("Проводить бабушку, Галину Белову, к врачу", "имя"),
        ("Помочь Марии с продуктами", "имя"),
    ],
)
def test_a_summary_with_a_name_or_an_address_is_refused_with_what_to_remove(
    resident, summary, what
):
    fields = {**FIELDS, "recipient_name": "Ольга Смирнова", "address": "ул. Восточная, 21"}
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields={**fields, "summary": summary})
    assert error.value.message_dict["summary"] == [
        f"Краткое описание видят все: уберите из него {what}."
    ]


ORDINARY = [
    "Нужна помощь с покупкой продуктов в Центре",
    "Проводить пожилого человека в поликлинику",
    "Проводить до дома после процедуры",
    "Убрать снег у дома престарелых в пос. Подгорный",
    "Нужна помощь с ремонтом в квартире",
    "2-3 часа в неделю, нужен 1 человек",
    "Отвезти в Красноярск на приём 10-12 числа",
    "Раз в неделю приносить продукты из магазина",
    "Настроить смартфон и Госуслуги",
    "Привезти продукты пожилому человеку №3",
    "Поговорить по телефону с одиноким пенсионером",
    "Помочь семье с ребёнком-инвалидом: занятия 2 раза в неделю",
    "Доставка лекарств из аптеки на Первомайском",
    "Сопроводить на концерт в Дом культуры",
    "Вера в людей: помочь разобрать вещи после переезда",
    "Проводить на выставку в Музейно-выставочный центр",
]


@pytest.mark.parametrize("summary", ORDINARY)
def test_ordinary_summaries_pass(resident, summary):
    assert not address_found(summary), summary
    assert not name_found(summary), summary
    request = submission.request_submit(requester=resident, fields={**FIELDS, "summary": summary})
    assert request.summary == summary


def test_the_demo_summaries_pass():
    from dobry.helprequests.demo import REQUESTS

    for _category, summary, *_rest in REQUESTS:
        assert not address_found(summary), summary
        assert not name_found(summary), summary


TESTERS = ["Помочь Марии Ивановой с ул. Ленина д. 5 кв 12", "Иванова Мария Петровна, Ленина 5-12"]


@pytest.mark.parametrize("summary", TESTERS)
def test_the_api_refuses_the_testers_summaries_with_a_422(resident, summary):
    from dobry.accounts.tests.factories import written_consent
    from dobry.helprequests.tests.test_api import PAYLOAD, bearer

    written_consent(resident)
    response = bearer(resident).post(
        "/api/v1/help-requests", {**PAYLOAD, "summary": summary}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "summary" in response.json()["errors"]


@pytest.mark.parametrize("summary", TESTERS)
def test_the_page_refuses_the_testers_summaries_next_to_the_field(login_as, resident, summary):
    from dobry.helprequests.models import HelpRequest
    from dobry.helprequests.tests.test_views import FORM

    response = login_as(resident).post("/help/new/", {**FORM, "summary": summary})
    assert response.status_code == 200
    assert "Краткое описание видят все: уберите из него имя, адрес." in response.text
    assert not HelpRequest.objects.exists()


# --- the attacker's second pass (issue 11): health, names, addresses, a phone in words ----

SECOND_PASS = [
    ("слепая бабушка", None, ["слепая"]),
    ("беременна, нужна помощь", None, ["беременна"]),
    ("колясочник, нужна помощь", None, ["колясочник"]),
    ("не ходит, лежачая", None, ["не ходит", "лежачая"]),
    ("глухая, стучите громко", None, ["глухая"]),
    ("иван петров ждёт помощи", "имя", []),
    ("Zinaida Sosedova needs help", "имя", []),
    ("Бабушка Зина с Ленина просит помощь", "имя", []),
    ("Адрес: Ленина 25-14, код домофона 14", "адрес", []),
    ("Курчатова 48а, 2 этаж", "адрес", []),
    (
        "звонить восемь девятьсот тридцать два сто двадцать три сорок пять шестьдесят семь",
        "номер телефона",
        [],
    ),
]


@pytest.mark.parametrize(("summary", "what", "health"), SECOND_PASS)
def test_the_second_passes_summaries_are_refused_naming_what_to_remove(
    resident, summary, what, health
):
    from dobry.core.public_text import health_found, personal_data_found, personal_data_labels

    assert health_found(summary) == health
    assert personal_data_labels(personal_data_found(summary)) == (what or "")
    fields = {**FIELDS, "recipient_name": "Ольга Смирнова", "address": "ул. Восточная, 21"}
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields={**fields, "summary": summary})
    [message] = error.value.message_dict["summary"]
    if what:
        assert message == f"Краткое описание видят все: уберите из него {what}."
    else:
        words = ", ".join(f"«{word}»" for word in health)
        assert message.startswith(f"Краткое описание видят все: сведения о здоровье ({words})")


MORE_ORDINARY = [
    "Помочь 3 раза в неделю",
    "Детская коляска и вещи для малыша",
    "Нужна помощь с покупкой продуктов, 2 этажа без лифта",
    "Нужны данные клиентов для отчёта",
    "Собрать 5 шесть 7 коробок",
    "Помочь семье с ребёнком-инвалидом",
    "Инвалид, нужна помощь с продуктами",
    "Глухомань, нужна доставка дров",
]


@pytest.mark.parametrize("summary", MORE_ORDINARY)
def test_ordinary_summaries_still_pass_the_second_passes_patterns(resident, summary):
    from dobry.core.public_text import health_found, personal_data_found

    assert personal_data_found(summary) == [], summary
    assert health_found(summary) == [], summary


# --- the requester's feedback ----------------------------------------------------------


def _done_request(resident):
    from dobry.helprequests.models import HelpRequest
    from dobry.helprequests.tests.factories import HelpRequestFactory

    return HelpRequestFactory(requester=resident, status=HelpRequest.Status.DONE)


def test_feedback_with_a_phone_and_health_data_is_refused_with_a_sentence_each(resident):
    from dobry.core.errors import DomainError
    from dobry.helprequests.services import completion

    help_request = _done_request(resident)
    with pytest.raises(DomainError) as error:
        completion.request_feedback(
            user=resident,
            help_request=help_request,
            rating=5,
            feedback="Спасибо! Мой телефон +7 913 555-12-34, у меня диабет и ВИЧ",
        )
    assert error.value.field_errors == {
        "feedback": [
            "Отзыв хранится открытым текстом: уберите из него номер телефона.",
            "Отзыв хранится открытым текстом: уберите из него сведения о здоровье "
            "(«диабет», «ВИЧ»).",
        ]
    }
    help_request.refresh_from_db()
    assert (help_request.rating, help_request.feedback) == (None, "")


def test_feedback_thanking_the_volunteer_by_name_is_kept(resident):
    from dobry.helprequests.services import completion

    help_request = _done_request(resident)
    completion.request_feedback(
        user=resident, help_request=help_request, rating=5, feedback="Спасибо Марии, всё отлично!"
    )
    help_request.refresh_from_db()
    assert help_request.feedback == "Спасибо Марии, всё отлично!"


def test_the_api_refuses_health_data_in_feedback_with_a_422_at_the_field(resident):
    from dobry.helprequests.tests.test_api import bearer

    help_request = _done_request(resident)
    response = bearer(resident).post(
        f"/api/v1/help-requests/{help_request.pk}/feedback",
        {"rating": 4, "feedback": "Глухая, лежачая — помогли"},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["feedback"] == [
        "Отзыв хранится открытым текстом: уберите из него сведения о здоровье "
        "(«Глухая», «лежачая»)."
    ]
