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
        "goals": ["Нужен текст."],
        "budget.1": ["Строка таблицы — объект с полями."],
        "budget.2.item": ["Нужен текст или число."],
        "budget.2.requested": ["Нужен текст или число."],
        "calendar": ["Нужен список строк таблицы."],
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
        "problem": ["Слишком длинный текст: не больше 20000 символов."],
        "indicators.0.name": ["Слишком длинный текст: не больше 1000 символов."],
        "budget": ["Не больше 100 строк."],
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
    assert set(errors) == {"title", "summary", "problem", "target_group", "goals", "tasks", "team"}
    assert errors["title"] == ["Обязательное поле."]
    without_team = _call(sections=["calendar", "indicators", "budget"])
    assert "team" not in submission_errors(without_team, "", content)


def test_sections_the_call_does_not_ask_for_are_not_checked():
    bare = _call(sections=[])
    texts = {k: v for k, v in complete_content().items() if isinstance(v, str)}
    assert submission_errors(bare, "Проект", texts) == {}
    assert set(submission_errors(_call(), "Проект", texts)) == {
        "calendar",
        "indicators",
        "budget",
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
    assert {key.removeprefix("calendar.1.") for key in found} == errors


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
    assert {key.removeprefix("indicators.0.") for key in found} == errors


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
        ({"item": ""}, {"budget.0.item"}),
        ({"quantity": "-4"}, {"budget.0.quantity"}),
        ({"unit_cost": "пятнадцать"}, {"budget.0.unit_cost"}),
        ({"requested": "", "cofinancing": "60000"}, {"budget.0.requested", "budget"}),
        ({"requested": "55000"}, {"budget.0.requested"}),  # 65 000 ≠ 60 000
        ({"requested": "60000", "cofinancing": "", "cofinancing_source": ""}, set()),
        ({"cofinancing_source": ""}, {"budget.0.cofinancing_source"}),
        (
            {"quantity": "1", "unit_cost": "10000", "requested": "10000", "cofinancing": "0"},
            {"budget"},
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
    assert errors["budget.0.requested"] == [
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
    assert ("budget" not in errors) is allowed
    if not allowed:
        # sums as people write them (`core.numbers.amount`), not «300000.01»
        assert errors["budget"] == [
            f"Запрошенная сумма {written} ₽ должна быть от 50\u00a0000 до 300\u00a0000 ₽."
        ]
