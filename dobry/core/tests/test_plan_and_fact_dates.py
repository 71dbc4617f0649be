"""One rule per kind of date (issue 11): a plan is not in the past and not past the
supported range; a fact is not in the future and not before its earliest day — both on the
city's clock; a navigation link is shown only when its page accepts the date."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from dobry.core.clock import local_moment
from dobry.core.errors import DomainError
from dobry.core.request_values import FIRST_DATE, LAST_DATE, reachable_date
from dobry.core.validators import (
    fact_date_error,
    plan_date_error,
    require_fact_date,
    require_plan_date,
    validate_fact_date,
)

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 3, 9), "Дата не может быть в прошлом."),
        (TODAY, None),
        (LAST_DATE, None),
        (date(2101, 1, 1), "Дата должна быть между 10.03.2026 и 31.12.2100."),
    ],
)
def test_a_plan_is_from_today_to_the_end_of_the_range(day, message):
    assert plan_date_error(day, today=TODAY) == message


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 3, 11), "Дата не может быть в будущем."),
        (TODAY, None),
        (FIRST_DATE, None),
        (date(1989, 12, 31), "Дата должна быть не раньше 01.01.1990."),
    ],
)
def test_a_fact_is_from_the_start_of_the_range_to_today(day, message):
    assert fact_date_error(day, today=TODAY) == message


def test_a_fact_may_have_a_later_earliest_day():
    assert fact_date_error(date(2024, 12, 31), earliest=date(2025, 1, 1), today=TODAY) == (
        "Дата должна быть не раньше 01.01.2025."
    )


def test_the_refusals_name_the_field(freeze_now):
    freeze_now(local_moment(TODAY, time(0, 30)))  # 00:30 in the city: UTC is a day behind
    with pytest.raises(DomainError) as refused:
        require_plan_date(date(2026, 3, 9), field="due_on")
    assert refused.value.field_errors == {"due_on": ["Дата не может быть в прошлом."]}
    require_plan_date(TODAY, field="due_on")
    with pytest.raises(DomainError) as refused:
        require_fact_date(date(2026, 3, 11), field="day")
    assert refused.value.field_errors == {"day": ["Дата не может быть в будущем."]}
    require_fact_date(TODAY, field="day")
    with pytest.raises(ValidationError):
        validate_fact_date(datetime(2100, 1, 1, 12, 0).astimezone())
    validate_fact_date(TODAY)


def test_a_navigation_date_past_the_range_is_none():
    assert reachable_date(date(1989, 12, 25)) is None
    assert reachable_date(date(2101, 1, 1)) is None
    assert reachable_date(FIRST_DATE) == FIRST_DATE
    assert reachable_date(date(2100, 12, 27), last=date(2100, 12, 24)) is None
