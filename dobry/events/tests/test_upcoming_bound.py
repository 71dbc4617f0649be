"""The upcoming list is bounded below by the earliest start among events not ended
(`selectors._not_ended`), so the database walks the start index from there: the bound must
keep every event not ended — one that began weeks ago and still runs included — and
nothing that has ended."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from dobry.events.selectors import filtered_events
from dobry.events.tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db


def _shift(title: str, *, starts: timedelta, hours: float) -> None:
    at = timezone.now() + starts
    ShiftFactory(event__title=title, starts_at=at, ends_at=at + timedelta(hours=hours))


def _titles() -> list[str]:
    return [event.title for event in filtered_events({}, AnonymousUser())]


def test_a_long_running_event_begun_weeks_ago_leads_the_list():
    _shift("Давно закончилось", starts=-timedelta(days=60), hours=3)
    _shift("Марафон", starts=-timedelta(days=30), hours=24 * 40)  # still running
    _shift("Вчера", starts=-timedelta(days=1), hours=2)
    _shift("Завтра", starts=timedelta(days=1), hours=2)
    _shift("Через неделю", starts=timedelta(days=7), hours=2)
    assert _titles() == ["Марафон", "Завтра", "Через неделю"]


def test_with_nothing_upcoming_the_list_is_empty_and_the_past_is_kept():
    _shift("Прошло", starts=-timedelta(days=2), hours=2)
    assert _titles() == []
    past = filtered_events({"when": "past"}, AnonymousUser())
    assert [event.title for event in past] == ["Прошло"]


def test_the_bound_comes_from_every_event_not_ended_not_only_public_ones():
    """A draft that began earlier lowers the bound (harmless); it is never listed."""
    ShiftFactory(
        event__title="Черновик",
        event__status="draft",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3),
    )
    _shift("Завтра", starts=timedelta(days=1), hours=2)
    assert _titles() == ["Завтра"]
