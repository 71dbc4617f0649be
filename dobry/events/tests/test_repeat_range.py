"""A repeat is a plan and stops at the supported range (issue 11): monthly × 12 from
2100-12-20 made a publishable occurrence in 2101."""

from datetime import datetime, timedelta

import pytest

from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.events.models import Event
from dobry.events.services import events as service
from dobry.events.tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db


def shift_on(start: datetime):
    return ShiftFactory(starts_at=start, ends_at=start + timedelta(hours=2))


def test_the_issues_example_a_repeat_past_2100_is_refused_whole(coordinator):
    shift = shift_on(datetime(2100, 12, 20, 10, 0, tzinfo=city_zone()))
    with pytest.raises(DomainError) as refused:
        service.event_repeat(actor=coordinator, event=shift.event, frequency="monthly", count=12)
    assert refused.value.field_errors == {
        "count": ["Последний повтор вышел бы за 31.12.2100: сделайте меньше повторов."]
    }
    assert Event.objects.count() == 1


def test_a_repeat_ending_on_the_last_day_of_the_range_is_made(coordinator):
    shift = shift_on(datetime(2100, 12, 3, 10, 0, tzinfo=city_zone()))
    copies = service.event_repeat(actor=coordinator, event=shift.event, frequency="weekly", count=4)
    assert copies[-1].shifts.get().starts_at.date().isoformat() == "2100-12-31"
