"""Report periods: calendar year/quarter/month and custom spans, the previous period, what a
query string asks for, and what counts as partial on the city's clock (Krasnoyarsk, UTC+7)."""

from datetime import UTC, date, datetime

import pytest

from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.reports.periods import Period, from_query, month, quarter, span, year


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (year(2025), Period(date(2024, 1, 1), date(2024, 12, 31), "year")),
        (quarter(2025, 1), Period(date(2024, 10, 1), date(2024, 12, 31), "quarter")),
        (quarter(2025, 3), Period(date(2025, 4, 1), date(2025, 6, 30), "quarter")),
        (month(2025, 3), Period(date(2025, 2, 1), date(2025, 2, 28), "month")),
        (month(2024, 3), Period(date(2024, 2, 1), date(2024, 2, 29), "month")),
        (month(2025, 1), Period(date(2024, 12, 1), date(2024, 12, 31), "month")),
        (
            Period(date(2025, 3, 10), date(2025, 3, 19)),
            Period(date(2025, 2, 28), date(2025, 3, 9)),
        ),
    ],
)
def test_the_previous_period_is_the_calendar_one_or_as_many_days_before(period, previous):
    assert period.previous() == previous
    assert period.previous().days == previous.days


@pytest.mark.parametrize(
    ("start", "end", "kind"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), "year"),
        (date(2025, 4, 1), date(2025, 6, 30), "quarter"),
        (date(2024, 2, 1), date(2024, 2, 29), "month"),
        (date(2025, 2, 1), date(2025, 3, 31), "custom"),  # two months, not a quarter
        (date(2025, 2, 1), date(2025, 4, 30), "custom"),  # three months, not a calendar quarter
        (date(2025, 1, 1), date(2025, 12, 30), "custom"),
    ],
)
def test_a_span_is_recognised_as_the_calendar_period_it_is(start, end, kind):
    assert span(start, end).kind == kind


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (year(2025), "2025"),
        (quarter(2025, 2), "2 квартал 2025"),
        (month(2025, 3), "03.2025"),
        (Period(date(2025, 3, 10), date(2025, 3, 19)), "10.03.2025 — 19.03.2025"),
    ],
)
def test_each_kind_of_period_has_its_label(period, label):
    assert period.label == label


def test_months_are_clipped_to_the_period():
    months = Period(date(2025, 1, 15), date(2025, 3, 10)).months()
    assert [(m.start, m.end) for m in months] == [
        (date(2025, 1, 15), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2025, 3, 10)),
    ]
    assert len(year(2025).months()) == 12


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2025, 3, 2), date(2025, 3, 1), "Конец периода раньше начала."),
        (date(1989, 12, 31), date(2025, 1, 1), "Период — между 1990 и 2100 годами."),
        (date(2025, 1, 1), date(2101, 1, 1), "Период — между 1990 и 2100 годами."),
    ],
)
def test_an_impossible_period_is_refused(start, end, message):
    with pytest.raises(DomainError) as refused:
        Period(start, end)
    assert refused.value.message == message


TODAY = date(2026, 5, 10)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, year(2025)),
        ({"kind": "year", "year": "2023"}, year(2023)),
        ({"kind": "quarter"}, quarter(2026, 2)),
        ({"kind": "quarter", "year": "2024", "quarter": "4"}, quarter(2024, 4)),
        ({"kind": "month"}, month(2026, 5)),
        ({"kind": "month", "year": "2025", "month": "2"}, month(2025, 2)),
        ({"from": "2026-03-01"}, Period(date(2026, 3, 1), TODAY)),
        ({"kind": "custom", "from": "2025-04-01", "to": "2025-04-30"}, month(2025, 4)),
        ({"kind": "fortnight"}, year(2025)),
    ],
)
def test_the_query_string_names_the_period(params, expected):
    assert from_query(params, today=TODAY) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "custom"}, "from"),
        ({"kind": "quarter", "quarter": "5"}, "quarter"),
        ({"kind": "month", "month": "13"}, "month"),
        ({"kind": "month", "month": "март"}, "month"),
        ({"from": "2025-13-01"}, "from"),
        ({"from": "2025-03-01", "to": "вчера"}, "to"),
    ],
)
def test_a_bad_query_names_the_parameter(params, field):
    with pytest.raises(DomainError) as refused:
        from_query(params, today=TODAY)
    assert refused.value.message.startswith("Неверный период")
    assert field in refused.value.field_errors


def test_a_running_quarter_is_compared_with_as_many_first_days_of_the_last(freeze_now):
    freeze_now(local(2026, 5, 10, 12))
    running = quarter(2026, 2)
    assert running.partial
    assert running.started
    assert running.counted_until == date(2026, 5, 10)
    assert running.comparison() == Period(date(2026, 1, 1), date(2026, 2, 9))


def test_a_running_month_longer_than_the_last_compares_with_the_whole_last(freeze_now):
    freeze_now(local(2026, 3, 31, 12))
    assert month(2026, 3).comparison() == month(2026, 2)


def test_a_month_is_over_when_the_next_has_begun_in_the_city_not_in_utc(freeze_now):
    freeze_now(datetime(2026, 3, 31, 17, 30, tzinfo=UTC))  # 00:30 on 1 April in the city
    march = month(2026, 3)
    assert not march.partial
    assert march.partial_note == ""
    assert march.comparison() == month(2026, 2)
    freeze_now(datetime(2026, 3, 31, 16, 30, tzinfo=UTC))  # 23:30 on 31 March in the city
    assert month(2026, 3).partial


def test_a_period_not_begun_is_compared_with_the_whole_previous_and_says_so(freeze_now):
    freeze_now(local(2026, 12, 15, 12))
    ahead = year(2027)
    assert ahead.partial
    assert not ahead.started
    assert ahead.comparison() == year(2026)
    assert ahead.partial_note == "Период ещё не начался: за него пока нечего считать."


def test_a_partial_note_across_new_year_names_both_years(freeze_now):
    freeze_now(local(2026, 1, 10, 12))
    note = Period(date(2025, 12, 1), date(2026, 1, 31)).partial_note
    assert note.startswith("Неполный период")
    assert "2025" in note
    assert "2026" in note
