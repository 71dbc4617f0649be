"""One way to read ids, numbers and dates from requests; NUL characters and oversized bodies
refused with the parameter named; a view that fails for a real reason still answers 500."""

import re
from datetime import date

import pytest
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.test import Client

from dobry.core.middleware import RequestValuesMiddleware, refusing_nul_in_queries
from dobry.core.models import District
from dobry.core.request_values import (
    MAX_ID,
    InvalidParameter,
    date_param,
    has_only_ascii_digits,
    id_list_param,
    id_param,
    integer_param,
    month_param,
    page_param,
    parse_integer,
    year_param,
)


@pytest.mark.parametrize("text", ["²", "٣", "３", "1²", "𝟙"])
def test_digits_other_than_0_to_9_are_not_ascii_digits(text):
    assert not has_only_ascii_digits(text)


def test_plain_text_with_ascii_digits_passes():
    assert has_only_ascii_digits("ул. Ленина, 12")


@pytest.mark.parametrize("text", ["²", "٣", "1.5", "1e3", "1" * 20, "--1"])
def test_parse_integer_refuses_what_int_would_misread_or_overflow(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_integer(text)


@pytest.mark.parametrize("text", ["", " "])
def test_parse_integer_refuses_nothing_at_all(text):
    with pytest.raises(ValueError, match=r"^$"):
        parse_integer(text)


def test_parse_integer_reads_ascii_digits_and_a_minus():
    assert parse_integer(" 42 ") == 42
    assert parse_integer("-7") == -7


@pytest.mark.parametrize("text", ["²", "٣", "abc", "1.5"])
def test_an_id_that_is_no_number_names_the_parameter(text):
    with pytest.raises(InvalidParameter) as refused:
        id_param({"district": text}, "district")
    assert refused.value.field_errors == {
        "district": ["Нужно целое число, записанное цифрами 0–9."]
    }
    assert "district" in refused.value.message


@pytest.mark.parametrize("text", ["0", "-1", str(MAX_ID + 1), "9" * 19])
def test_an_id_outside_the_column_is_refused(text):
    with pytest.raises(InvalidParameter):
        id_param({"id": text}, "id")


def test_an_absent_or_empty_id_is_none():
    assert id_param({}, "id") is None
    assert id_param({"id": " "}, "id") is None
    assert id_param({"id": "17"}, "id") == 17


def test_a_list_of_ids_is_refused_whole_when_one_is_bad():
    params = QueryDict("volunteer=1&volunteer=%C2%B2")
    with pytest.raises(InvalidParameter):
        id_list_param(params, "volunteer")
    assert id_list_param(QueryDict("volunteer=1&volunteer=2"), "volunteer") == [1, 2]


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
def test_a_date_outside_the_accepted_range_names_the_parameter(text):
    with pytest.raises(InvalidParameter) as refused:
        date_param({"week": text}, "week")
    assert refused.value.field_errors == {
        "week": ["Дата должна быть между 01.01.1990 и 31.12.2100."]
    }


@pytest.mark.parametrize("text", ["٢٠٢٦-٠١-٠١", "2026-13-45", "26-1-1", "2026-01-01T00:00"])
def test_a_date_not_written_yyyy_mm_dd_in_ascii_is_refused(text):
    with pytest.raises(InvalidParameter):
        date_param({"day": text}, "day")


def test_a_date_in_range_and_the_default():
    assert date_param({"day": "2026-11-29"}, "day") == date(2026, 11, 29)
    assert date_param({}, "day", default=date(2026, 1, 1)) == date(2026, 1, 1)


def test_a_month_is_its_first_day():
    assert month_param({"month": "2026-03"}, "month") == date(2026, 3, 1)
    with pytest.raises(InvalidParameter):
        month_param({"month": "0001-01"}, "month")


@pytest.mark.parametrize("text", ["0", "99999", "1989", "2101", "٢٠٢٦"])
def test_a_year_outside_1990_to_2100_is_refused(text):
    with pytest.raises(InvalidParameter):
        year_param({"year": text}, "year")


def test_integer_bounds_are_named_in_the_message():
    with pytest.raises(InvalidParameter) as refused:
        integer_param({"quarter": "5"}, "quarter", min_value=1, max_value=4)
    assert refused.value.field_errors == {"quarter": ["Не больше 4."]}


def test_a_page_list_reads_odd_pages_as_the_first_or_the_last():
    assert page_param({"page": "99999999999999999999999"}) == 1_000_000
    assert page_param({"page": "9999999999"}) == 1_000_000  # the paginator shows the last
    assert page_param({"page": "٣"}) == 1
    assert page_param({"page": "-5"}) == 1
    assert page_param({}) == 1
    assert page_param({"page": "3"}) == 3


@pytest.mark.django_db
def test_a_page_with_a_nul_in_a_query_value_answers_400_naming_it(client):
    response = client.get("/events/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Параметр «q»: недопустимый символ NUL" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_path_answers_400(client):
    response = client.get("/consents/a%00b/")
    assert response.status_code == 400
    assert "Параметр «path»" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_typed_in_a_form_is_refused_at_the_field_and_the_form_shown_again(client):
    response = client.post("/accounts/login/", {"login": "a\x00@example.org", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["login"][-1] == (
        "Данные содержат запрещённый символ: ноль-байт"
    )
    assert 'value="a\x00@example.org"' in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_name_of_a_form_field_answers_400(client):
    response = client.post("/accounts/login/", {"login\x00": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Параметр «login\\0»" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_read_past_the_forms_never_reaches_the_database():
    with refusing_nul_in_queries("reason"):
        with pytest.raises(InvalidParameter) as refused, transaction.atomic():
            District.objects.create(name="Центр\x00", slug="centre")
        District.objects.create(name="Центр", slug="centre")  # the rest goes on
    assert refused.value.field_errors == {"reason": ["недопустимый символ NUL (\\0)."]}
    assert list(District.objects.values_list("name", flat=True)) == ["Центр"]


@pytest.mark.django_db
def test_a_view_that_reads_a_posted_nul_past_its_forms_stores_nothing(rf):
    """A view that writes a posted value without a form: the write is refused with the
    value's name, and the middleware answers as before (the 400 page)."""

    def view(request):
        with transaction.atomic():  # as a service does: the refusal undoes the block
            District.objects.create(name=request.POST["name"], slug="centre")
        return HttpResponse("saved")

    middleware = RequestValuesMiddleware(view)
    with pytest.raises(InvalidParameter) as refused:
        middleware(rf.post("/districts/", {"name": "Центр\x00"}))
    assert refused.value.name == "name"
    assert not District.objects.exists()
    assert middleware(rf.post("/districts/", {"name": "Центр"})).content == b"saved"


@pytest.mark.django_db
def test_an_api_body_with_a_nul_answers_422_naming_the_field(coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/help-requests",
        '{"summary": "a\\u0000b", "nested": {"list": ["x", "\\u0000"]}}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["summary"]


@pytest.mark.django_db
def test_an_api_body_over_the_size_limit_answers_413(coordinator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/help-requests",
        '{"summary": "' + "x" * 2000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["message"].startswith("Запрос слишком большой")


@pytest.mark.django_db
def test_a_failing_api_operation_still_answers_500(coordinator, monkeypatch):
    """The 4xx above come from validation, not from a handler that hides real faults."""
    from dobry.events.models import Event

    def broken(*args, **kwargs):
        raise RuntimeError("a real fault")

    monkeypatch.setattr(type(Event.objects), "public", broken)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.get("/api/v1/events")
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_failing_page_still_answers_500(monkeypatch):
    from dobry.events.models import Event

    def broken(*args, **kwargs):
        raise RuntimeError("a real fault")

    monkeypatch.setattr(type(Event.objects), "public", broken)
    response = Client(raise_request_exception=False).get("/events/")
    assert response.status_code == 500


def test_ids_in_paths_are_1_to_the_largest_64_bit_integer():
    from dobry.core.request_values import IdConverter

    converter = IdConverter()
    assert converter.to_python("42") == 42
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    for text in ("0", str(MAX_ID + 1)):
        with pytest.raises(ValueError, match=text):
            converter.to_python(text)


@pytest.mark.parametrize(
    ("character", "code"),
    [("\x01", "U+0001"), ("\x1b", "U+001B"), ("\x7f", "U+007F"), ("\u2066", "U+2066")],
)
def test_a_control_character_in_a_query_value_answers_400_naming_it(client, character, code):
    response = client.get("/events/", {"q": f"a{character}b"})
    assert response.status_code == 400
    assert f"Параметр «q»: недопустимый невидимый управляющий символ {code}" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_tab_is_text_a_line_break_in_a_one_line_search_is_refused_naming_it(client):
    assert client.get("/events/", {"q": "a\tb"}).status_code == 200
    response = client.get("/events/", {"q": "a\r\nc"})
    assert response.status_code == 400
    assert "уберите перенос строки" in response.content.decode()


@pytest.mark.parametrize(
    ("character", "code"),
    [
        ("\u200b", "U+200B"),
        ("\ufeff", "U+FEFF"),
        ("\u061c", "U+061C"),
        ("\ufffe", "U+FFFE"),
        ("\ufdd0", "U+FDD0"),
        ("\U0010ffff", "U+10FFFF"),
    ],
)
def test_zero_width_marks_and_noncharacters_in_a_query_value_answer_400(client, character, code):
    response = client.get("/events/", {"q": f"a{character}b"})
    assert response.status_code == 400
    assert f"Параметр «q»: недопустимый невидимый управляющий символ {code}" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_control_character_typed_in_a_form_is_refused_at_the_field(client):
    response = client.post("/accounts/login/", {"login": "a\x0bb@example.org", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["login"][-1] == (
        "Текст содержит недопустимый невидимый символ U+000B: удалите его."
    )


@pytest.mark.django_db
def test_a_control_character_read_past_the_forms_never_reaches_the_database():
    with (
        refusing_nul_in_queries("name"),
        pytest.raises(InvalidParameter) as refused,
        transaction.atomic(),
    ):
        District.objects.create(name="Центр\u202e", slug="centre")
    assert refused.value.field_errors == {
        "name": ["недопустимый невидимый управляющий символ U+202E: удалите его."]
    }
    assert not District.objects.exists()


@pytest.mark.django_db
def test_an_api_body_with_a_control_character_answers_422_naming_the_field(coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/help-requests",
        '{"summary": "ok", "nested": {"list": ["x", "\\u001b[31m"]}}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["nested.list.1"]
