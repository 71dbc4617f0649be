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
