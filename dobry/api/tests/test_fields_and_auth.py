"""The API's own pieces, each with the value it must give: the schema types (`Id`, `Day`,
`HistoricalDay`, `Moment`, `Amount`, `Pages`), the body parser, the pydantic error table's
messages with their numbers, where an error is named, and the three ways of authenticating
(bearer token, session with CSRF, none)."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from ninja import Schema
from pydantic import TypeAdapter, ValidationError

from dobry.accounts.models import ApiToken
from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory
from dobry.api.errors import JsonParser, UnreadableBody, field_errors, pydantic_message
from dobry.api.fields import (
    Amount,
    Day,
    HistoricalDay,
    Id,
    Moment,
    Pages,
    district_by_slug,
    sent_fields,
)
from dobry.api.tests.error_shape import shape_problems
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.core.models import District
from dobry.core.request_values import MAX_ID, MAX_PAGE


def _messages(kind: Any, value: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(kind).validate_python(value)
    return field_errors(caught.value.errors())


# --- the schema types ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (Id, 1, 1),
        (Id, MAX_ID, MAX_ID),
        (Day, "1990-01-01", date(1990, 1, 1)),
        (Day, "2100-12-31", date(2100, 12, 31)),
        (HistoricalDay, "1900-01-01", date(1900, 1, 1)),
        (Amount, "12.50", Decimal("12.50")),
        (Amount, 7, Decimal(7)),
    ],
)
def test_a_value_in_range_is_read_as_is(kind, value, expected):
    assert TypeAdapter(kind).validate_python(value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Id, 0, "Должно быть не меньше 1."),
        (Id, MAX_ID + 1, f"Должно быть не больше {MAX_ID}."),
        (Day, "1989-12-31", "Дата должна быть между 01.01.1990 и 31.12.2100."),
        (Day, "2101-01-01", "Дата должна быть между 01.01.1990 и 31.12.2100."),
        (Day, "1950-05-05", "Дата должна быть между 01.01.1990 и 31.12.2100."),
        (HistoricalDay, "1899-12-31", "Дата должна быть между 01.01.1900 и 31.12.2100."),
        (Moment, "9999-12-31T23:00:00", "Дата должна быть между 01.01.1990 и 31.12.2100."),
        (Moment, "1989-12-31T12:00:00+03:00", "Дата должна быть между 01.01.1990 и 31.12.2100."),
        # Digits other than 0–9 are refused, not read as numbers.
        (Amount, "٣", "Нужно число, записанное цифрами 0–9."),
        (Amount, "１０", "Нужно число, записанное цифрами 0–9."),
        (Day, "٢٠٢٦-٠١-٠١", "Нужно число, записанное цифрами 0–9."),
        (Moment, "２０２６-01-01T10:00", "Нужно число, записанное цифрами 0–9."),
        (Amount, "abc", "Нужно число."),
        (Day, "31.12.2026", "Нужна дата в формате ГГГГ-ММ-ДД."),
        (Moment, "завтра", "Нужны дата и время в формате ГГГГ-ММ-ДДTЧЧ:ММ."),
        (Id, "x", "Нужно целое число."),
        (Id, 1.5, "Нужно целое число, без дробной части."),
    ],
)
def test_a_value_out_of_range_or_not_in_digits_0_9_is_refused_in_words(kind, value, message):
    assert _messages(kind, value) == {"__all__": [message]}


def test_a_moment_without_an_offset_is_the_citys_wall_clock():
    moment = TypeAdapter(Moment).validate_python("2026-06-01T10:00")
    assert timezone.is_aware(moment)
    assert moment == datetime(2026, 6, 1, 10, 0, tzinfo=city_zone())


def test_a_moment_with_an_offset_keeps_it():
    moment = TypeAdapter(Moment).validate_python("2026-06-01T10:00:00+00:00")
    assert moment.utcoffset() == timedelta(0)
    assert moment.hour == 10


@pytest.mark.parametrize(
    ("page", "errors"),
    [
        ({"page": 0}, {"page": ["Должно быть не меньше 1."]}),
        ({"page": MAX_PAGE + 1}, {"page": [f"Должно быть не больше {MAX_PAGE}."]}),
        ({"page_size": 1001}, {"page_size": ["Должно быть не больше 1000."]}),
        ({"page_size": 0}, {"page_size": ["Должно быть не меньше 1."]}),
    ],
)
def test_pages_refuse_a_page_out_of_bounds(page, errors):
    with pytest.raises(ValidationError) as caught:
        Pages.Input(**page)
    assert field_errors(caught.value.errors()) == errors


def test_pages_start_at_the_first_page():
    assert Pages.Input().page == 1
    assert Pages.Input(page=MAX_PAGE).page == MAX_PAGE


# --- PATCH bodies and districts --------------------------------------------------------


class _Patch(Schema):
    title: str | None = None
    note: str | None = None


def test_sent_fields_are_only_those_the_body_had():
    assert sent_fields(_Patch(title="Новое")) == {"title": "Новое"}
    assert sent_fields(_Patch(note=None), nullable={"note"}) == {"note": None}


def test_null_for_a_field_that_cannot_be_cleared_is_refused_by_name():
    with pytest.raises(DomainError) as caught:
        sent_fields(_Patch(title=None, note=None), nullable={"note"})
    assert str(caught.value.message) == "Эти поля нельзя очистить."
    assert caught.value.field_errors == {"title": ["Пустое значение не допускается."]}


@pytest.mark.django_db
def test_a_district_is_found_by_its_slug_and_an_unknown_one_is_a_422():
    district = District.objects.create(name="Центральный", slug="centre")
    assert district_by_slug("centre") == district
    assert district_by_slug("") is None
    assert district_by_slug(None) is None
    with pytest.raises(DomainError) as caught:
        district_by_slug("nowhere")
    assert caught.value.field_errors == {"district": ["Неизвестный код района."]}


# --- the body parser and the messages --------------------------------------------------


def _parse(body: bytes) -> Any:
    request = RequestFactory().post("/api/v1/x", body, content_type="application/json")
    return JsonParser().parse_body(request)


def test_the_parser_reads_json_in_utf_8():
    assert _parse('{"имя": "Анна"}'.encode()) == {"имя": "Анна"}


@pytest.mark.parametrize(
    ("body", "message", "errors"),
    [
        (b"\xff\xfe", "Тело запроса не в кодировке UTF-8.", ["Нужен JSON в кодировке UTF-8."]),
        (
            b'{"a": 1,\n  }',
            "Тело запроса — не JSON: ошибка в строке 2, позиция 3.",
            ["Нужен JSON."],
        ),
        (b"", "Тело запроса — не JSON: ошибка в строке 1, позиция 1.", ["Нужен JSON."]),
    ],
)
def test_the_parser_says_where_a_body_breaks(body, message, errors):
    with pytest.raises(UnreadableBody) as caught:
        _parse(body)
    assert UnreadableBody.status == 400
    assert str(caught.value.message) == message
    assert caught.value.field_errors == {"__all__": errors}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            {"type": "too_short", "ctx": {"min_length": 1}},
            "Слишком мало элементов: нужен хотя бы 1.",
        ),
        (
            {"type": "too_short", "ctx": {"min_length": 3}},
            "Слишком мало элементов: нужно хотя бы 3.",
        ),
        ({"type": "too_long", "ctx": {"max_length": 5}}, "Слишком много элементов: не больше 5."),
        ({"type": "greater_than", "ctx": {"gt": 0}}, "Должно быть больше 0."),
        ({"type": "less_than", "ctx": {"lt": 10}}, "Должно быть меньше 10."),
        (
            {"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}},
            "Допустимые значения: a, b.",
        ),
        ({"type": "literal_error", "ctx": {"expected": "one"}}, "Допустимые значения: one."),
        ({"type": "value_error", "ctx": {}}, "Недопустимое значение."),
        ({"type": "no_such_type_anywhere"}, "Недопустимое значение."),
        # A ctx without the value the message needs gives the plain message, not a 500.
        ({"type": "greater_than", "ctx": {}}, "Недопустимое значение."),
        (
            {"type": "decimal_max_places", "ctx": {"decimal_places": 2}},
            "Слишком много цифр после запятой: допустимо не больше 2.",
        ),
    ],
)
def test_each_pydantic_error_reads_with_its_numbers(item, expected):
    assert pydantic_message(item) == expected


def test_errors_of_one_field_are_gathered_under_its_name():
    items = [
        {"type": "missing", "loc": ("body", "payload", "title")},
        {"type": "string_type", "loc": ("body", "payload", "title")},
        {"type": "int_parsing", "loc": ("query", "page")},
        {"type": "missing", "loc": ("header", "X-Key")},
        {"type": "missing", "loc": ("body", "payload")},
    ]
    assert field_errors(items) == {
        "title": ["Обязательное поле.", "Нужна строка."],
        "query.page": ["Нужно целое число."],
        "X-Key": ["Обязательное поле."],
        "__all__": ["Обязательное поле."],
    }


# --- authentication --------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_me_is_a_401_in_russian():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert shape_problems(response) == []


@pytest.mark.django_db
def test_an_unknown_expired_or_revoked_token_is_a_401(resident):
    token, raw = api_token_create(user=resident, name="скрипт")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer dobry_nope").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert shape_problems(response) == []


@pytest.mark.django_db
def test_a_token_of_a_deactivated_person_or_session_is_a_401(resident):
    _token, raw = api_token_create(user=resident, name="скрипт")
    session = Client()
    session.force_login(resident)
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert session.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_a_session_write_without_csrf_is_a_403_saying_what_to_send(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.get("/api/v1/me").json()["email"] == resident.email
    response = client.patch(
        "/api/v1/me", json.dumps({"first_name": "Ия"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["message"]
    resident.refresh_from_db()
    assert resident.first_name == "Анна"


@pytest.mark.django_db
def test_an_anonymous_write_is_a_401_not_a_csrf_failure():
    response = Client(enforce_csrf_checks=True).patch(
        "/api/v1/me", json.dumps({"first_name": "Ия"}), content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.django_db
@override_settings(DOBRY_REQUIRE_STAFF_MFA=True)
def test_staff_without_two_factor_are_refused_by_session_and_token(resident):
    coordinator = UserFactory(is_coordinator=True)
    session = Client()
    session.force_login(coordinator)
    response = session.get("/api/v1/me")
    assert response.status_code == 403
    assert "двухфакторный вход" in response.json()["message"]
    with pytest.raises(Exception, match="двухфакторный"):
        api_token_create(user=coordinator, name="скрипт")
    # A resident is not staff: the rule does not touch them.
    _token, raw = api_token_create(user=resident, name="скрипт")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_public_lists_answer_anyone_and_refuse_a_page_out_of_bounds(who, outsider):
    client = Client()
    if who == "outsider":
        client.force_login(outsider)
    listing = client.get("/api/v1/events")
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert client.get("/api/v1/events?page=999").json()["items"] == []
    response = client.get(f"/api/v1/events?page={MAX_PAGE + 1}")
    assert response.status_code == 422
    assert response.json()["errors"] == {"query.page": [f"Должно быть не больше {MAX_PAGE}."]}
    response = client.get("/api/v1/events?page=٣")
    assert response.status_code == 422
    assert shape_problems(response) == []
