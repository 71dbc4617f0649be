"""What an application's content keeps and what a submission must satisfy, on values
worked out by hand: sums as people type them, the budget's arithmetic, the calendar's
dates, the indicators, and which sections the call asks for."""

from decimal import Decimal

import pytest

from dobry.core.errors import DomainError
from dobry.grants.content import (
    MAX_CELL,
    MAX_ROWS,
    MAX_TEXT,
    clean_content,
    parse_amount,
    requested_total,
    submission_errors,
)
from dobry.grants.models import Competition
from dobry.grants.tests.factories import complete_content


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12500", Decimal("12500")),
        ("12 500,50", Decimal("12500.50")),
        ("12\u00a0500", Decimal("12500")),
        (" 7.25 ", Decimal("7.25")),
        ("-300", Decimal("-300")),  # a number; the callers refuse what is negative
        ("", None),
        ("сто", None),
        ("٣٠٠", None),  # Arabic-Indic digits: Decimal() would read them
        ("1²", None),
        ("NaN", None),
        ("Infinity", None),
        ("1" + "0" * 12, None),  # a trillion: past what a grant can be
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_a_sum_is_read_as_people_type_it(text, value):
    assert parse_amount(text) == value


def test_the_request_is_the_sum_of_the_budgets_requested_column():
    rows = [
        {"requested": "10 000,505"},  # 10 000.505 …
        {"requested": "2500"},
        {"requested": "-100"},  # ignored: not a request
        {"requested": "много"},  # ignored until submission names it
        {"requested": ""},
        {},
    ]
    assert requested_total({"budget": rows}) == Decimal("12500.50")  # … rounded at the end
    assert requested_total({}) == Decimal("0.00")


def test_a_draft_keeps_known_texts_and_tables():
    kept = clean_content(
        {
            "summary": None,
            "goals": "Цель",
            "budget": [
                {"item": "  Чай  ", "requested": 500},
                {"item": None},
            ],
            "calendar": None,
        }
    )
    assert kept == {
        "summary": "",
        "goals": "Цель",
        "budget": [
            {
                "item": "Чай",
                "quantity": "",
                "unit_cost": "",
                "requested": "500",
                "cofinancing": "",
                "cofinancing_source": "",
            },
            {
                "item": "",
                "quantity": "",
                "unit_cost": "",
                "requested": "",
                "cofinancing": "",
                "cofinancing_source": "",
            },
        ],
        "calendar": [],
    }


def test_unknown_keys_and_columns_are_refused_never_dropped():
    with pytest.raises(DomainError) as refused:
        clean_content({"goals": "Цель", "script": "<script>", "budget": [{"secret": "x"}]})
    assert refused.value.field_errors == {
        "content.script": ["Такого поля нет."],
        "content.budget.0.secret": ["Такого поля нет."],
    }


def test_values_of_the_wrong_type_are_refused_at_their_fields_never_dropped():
    with pytest.raises(DomainError) as refused:
        clean_content(
            {
                "goals": 42,
                "budget": [{"item": "Чай"}, "not a row", {"item": ["x"], "requested": True}],
                "calendar": "not a table",
            }
        )
    assert refused.value.field_errors == {
        "content.goals": ["Нужен текст."],
        "content.budget.1": ["Строка таблицы — объект с полями."],
        "content.budget.2.item": ["Нужен текст или число."],
        "content.budget.2.requested": ["Нужен текст или число."],
        "content.calendar": ["Нужен список строк таблицы."],
    }


def test_a_draft_merges_what_is_sent_into_what_was_kept():
    before = {"summary": "Было", "goals": "Цель", "indicators": [{"name": "Люди"}]}
    after = clean_content({"summary": "Стало"}, into=before)
    assert after == {"summary": "Стало", "goals": "Цель", "indicators": [{"name": "Люди"}]}
    assert before["summary"] == "Было"  # the stored copy is not changed in place


def test_text_at_its_limit_is_kept_whole():
    kept = clean_content(
        {
            "problem": "я" * MAX_TEXT,
            "indicators": [{"name": "x" * MAX_CELL, "unit": "чел.", "target": "1"}] * MAX_ROWS,
        }
    )
    assert len(kept["problem"]) == MAX_TEXT
    assert len(kept["indicators"]) == MAX_ROWS
    assert len(kept["indicators"][0]["name"]) == MAX_CELL


def test_text_over_its_limit_is_refused_naming_the_field_never_cut():
    with pytest.raises(DomainError) as refused:
        clean_content(
            {
                "problem": "я" * (MAX_TEXT + 1),
                "indicators": [{"name": "x" * (MAX_CELL + 1), "unit": "чел.", "target": "1"}],
                "budget": [{"item": "Чай"}] * (MAX_ROWS + 1),
            }
        )
    assert refused.value.field_errors == {
        "content.problem": ["Слишком длинный текст: не больше 20000 символов."],
        "content.indicators.0.name": ["Слишком длинный текст: не больше 1000 символов."],
        "content.budget": ["Не больше 100 строк."],
    }


def _call(**terms) -> Competition:
    values = {
        "kind": Competition.Kind.SONKO,
        "min_grant": Decimal(50_000),
        "max_grant": Decimal(300_000),
        "sections": ["calendar", "indicators", "budget", "team", "partners", "attachments"],
    }
    return Competition(**(values | terms))


def test_a_complete_application_has_no_errors():
    assert submission_errors(_call(), "Проект", complete_content()) == {}


def test_the_core_texts_are_always_required_and_the_team_when_asked():
    empty = dict.fromkeys(("summary", "problem", "target_group", "goals", "tasks"), " ")
    content = complete_content() | empty | {"team": ""}
    errors = submission_errors(_call(), "  ", content)
    assert set(errors) == {
        "title",
        "content.summary",
        "content.problem",
        "content.target_group",
        "content.goals",
        "content.tasks",
        "content.team",
    }
    assert errors["title"] == ["Обязательное поле."]
    without_team = _call(sections=["calendar", "indicators", "budget"])
    assert "content.team" not in submission_errors(without_team, "", content)


def test_sections_the_call_does_not_ask_for_are_not_checked():
    bare = _call(sections=[])
    texts = {k: v for k, v in complete_content().items() if isinstance(v, str)}
    assert submission_errors(bare, "Проект", texts) == {}
    assert set(submission_errors(_call(), "Проект", texts)) == {
        "content.calendar",
        "content.indicators",
        "content.budget",
    }


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        ({"title": "", "starts_on": "2027-02-01", "ends_on": "2027-03-01"}, {"title"}),
        ({"title": "Встречи", "starts_on": "01.02.2027", "ends_on": "2027-03-01"}, {"starts_on"}),
        ({"title": "Встречи", "starts_on": "2027-02-30", "ends_on": "2027-03-01"}, {"starts_on"}),
        ({"title": "Встречи", "starts_on": "2027-02-01", "ends_on": "1812-09-07"}, {"ends_on"}),
        ({"title": "Встречи", "starts_on": "2027-03-02", "ends_on": "2027-03-01"}, {"ends_on"}),
        ({"title": "Встречи", "starts_on": "2027-03-01", "ends_on": "2027-03-01"}, set()),
    ],
)
def test_each_calendar_row_is_checked_at_its_column(row, errors):
    content = complete_content() | {"calendar": [complete_content()["calendar"][0], row]}
    found = submission_errors(_call(), "Проект", content)
    assert {key.removeprefix("content.calendar.1.") for key in found} == errors


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        ({"name": "", "unit": "чел.", "target": "40"}, {"name"}),
        ({"name": "Участники", "unit": "", "target": "40"}, {"unit"}),
        ({"name": "Участники", "unit": "чел.", "target": "0"}, {"target"}),
        ({"name": "Участники", "unit": "чел.", "target": "много"}, {"target"}),
        ({"name": "Участники", "unit": "чел.", "target": "0,5"}, set()),
    ],
)
def test_each_indicator_is_named_measured_and_positive(row, errors):
    found = submission_errors(_call(), "Проект", complete_content() | {"indicators": [row]})
    assert {key.removeprefix("content.indicators.0.") for key in found} == errors


def _budget_row(**changes) -> dict:
    return {
        "item": "Аренда зала",
        "quantity": "4",
        "unit_cost": "15 000",
        "requested": "50000",
        "cofinancing": "10000",
        "cofinancing_source": "собственные средства",
    } | changes


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({}, set()),  # 4 × 15 000 = 60 000 = 50 000 + 10 000
        ({"item": ""}, {"content.budget.0.item"}),
        ({"quantity": "-4"}, {"content.budget.0.quantity"}),
        ({"unit_cost": "пятнадцать"}, {"content.budget.0.unit_cost"}),
        (
            {"requested": "", "cofinancing": "60000"},
            {"content.budget.0.requested", "content.budget"},
        ),
        ({"requested": "55000"}, {"content.budget.0.requested"}),  # 65 000 ≠ 60 000
        ({"requested": "60000", "cofinancing": "", "cofinancing_source": ""}, set()),
        ({"cofinancing_source": ""}, {"content.budget.0.cofinancing_source"}),
        (
            {"quantity": "1", "unit_cost": "10000", "requested": "10000", "cofinancing": "0"},
            {"content.budget"},
        ),
    ],
)
def test_each_budget_row_adds_up(changes, errors):
    found = submission_errors(
        _call(), "Проект", complete_content() | {"budget": [_budget_row(**changes)]}
    )
    assert set(found) == errors


def test_the_budgets_arithmetic_is_exact_to_the_kopeck():
    row = _budget_row(
        quantity="3", unit_cost="33 333,33", requested="89999.99", cofinancing="10000"
    )
    assert submission_errors(_call(), "Проект", complete_content() | {"budget": [row]}) == {}
    off = row | {"requested": "90000"}
    errors = submission_errors(_call(), "Проект", complete_content() | {"budget": [off]})
    assert errors["content.budget.0.requested"] == [
        "Запрошено и софинансирование вместе должны составить 99\u00a0999,99 ₽."
    ]


@pytest.mark.parametrize(
    ("requested", "allowed", "written"),
    [
        ("49999.99", False, "49\u00a0999,99"),
        ("50000", True, ""),
        ("300000", True, ""),
        ("300000.01", False, "300\u00a0000,01"),
    ],
)
def test_the_total_request_is_within_the_grant_limits(requested, allowed, written):
    row = _budget_row(quantity="1", unit_cost=requested, requested=requested, cofinancing="0")
    errors = submission_errors(_call(), "Проект", complete_content() | {"budget": [row]})
    assert ("content.budget" not in errors) is allowed
    if not allowed:
        # sums as people write them (`core.numbers.amount`), not «300000.01»
        assert errors["content.budget"] == [
            f"Запрошенная сумма {written} ₽ должна быть от 50\u00a0000 до 300\u00a0000 ₽."
        ]


TOO_LARGE = "Слишком большое число: не больше 999\u00a0999\u00a0999\u00a0999,99."
NOT_A_NUMBER = "Введите число цифрами, например 12 500,50."
EXPONENT = "Запишите число полностью, без степени: например, 1500, а не 1.5e3."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", TOO_LARGE),  # issue 11: was «не меньше нуля»
        ("1E+30", TOO_LARGE),
        ("-1e30", TOO_LARGE),
        ("1" + "0" * 12, TOO_LARGE),  # a trillion
        ("1" + "0" * 45, TOO_LARGE),  # past what parse_decimal reads at all
        ("1 000 000 000 000 000", TOO_LARGE),
        ("1.5e3", EXPONENT),
        ("пятнадцать", NOT_A_NUMBER),
        ("12,500.50", NOT_A_NUMBER),  # «1,234.5» is not read (a comma is the fraction's)
        ("٣٠٠", NOT_A_NUMBER),
        ("NaN", NOT_A_NUMBER),
        ("Infinity", NOT_A_NUMBER),
        ("0," + "1" * 45, "Слишком много цифр после запятой."),
        ("-4", "Введите число не меньше нуля."),
        ("-0,01", "Введите число не меньше нуля."),
        ("", "Обязательное поле."),
    ],
)
def test_each_budget_amount_is_refused_with_what_is_wrong_with_it(typed, message):
    for column in ("quantity", "unit_cost", "requested"):
        row = _budget_row(**{column: typed})
        errors = submission_errors(_call(), "Проект", complete_content() | {"budget": [row]})
        assert errors[f"content.budget.0.{column}"] == [message], column


def test_a_cofinancing_left_empty_is_zero_and_a_bad_one_is_said():
    row = _budget_row(requested="60000", cofinancing="", cofinancing_source="")
    assert submission_errors(_call(), "Проект", complete_content() | {"budget": [row]}) == {}
    row = _budget_row(cofinancing="1e30")
    errors = submission_errors(_call(), "Проект", complete_content() | {"budget": [row]})
    assert errors["content.budget.0.cofinancing"] == [TOO_LARGE]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "Укажите целевое значение."),
        ("много", NOT_A_NUMBER),
        ("1e30", TOO_LARGE),
        ("0", "Введите число больше нуля."),
        ("-5", "Введите число больше нуля."),
    ],
)
def test_an_indicators_target_is_refused_with_what_is_wrong_with_it(target, message):
    row = {"name": "Участники", "unit": "чел.", "target": target}
    errors = submission_errors(_call(), "Проект", complete_content() | {"indicators": [row]})
    assert errors == {"content.indicators.0.target": [message]}


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (12500.5, "12500.5"),
        (1e-7, "0.0000001"),
        (40, "40"),
    ],
)
def test_a_json_number_is_kept_as_the_digits_it_stands_for(sent, kept):
    cleaned = clean_content({"budget": [{"requested": sent}]})
    assert cleaned["budget"][0]["requested"] == kept


def test_a_json_number_too_long_for_a_cell_is_refused_as_too_large():
    with pytest.raises(DomainError) as refused:
        clean_content({"budget": [{"requested": 10 ** (MAX_CELL + 5)}]})
    assert refused.value.field_errors == {"content.budget.0.requested": [TOO_LARGE]}


def test_a_refused_draft_says_nothing_was_saved():
    with pytest.raises(DomainError) as refused:
        clean_content({"indicators": "not a table"})
    assert refused.value.message == (
        "Черновик не сохранён, ничего не изменилось: исправьте поля с ошибками."
    )
