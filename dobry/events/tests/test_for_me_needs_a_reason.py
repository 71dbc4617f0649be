"""«Подходит мне» lists a shift only when something of the volunteer's profile matches it
(issue 12 §2): the «уже на этой неделе» bonus alone listed almost any shift of the coming
week whatever the profile said. Being soon orders what suits; it never makes a candidate."""

from datetime import date, time, timedelta

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import local_moment
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db
NOW = local_moment(date(2026, 3, 11), time(10, 0))  # a Wednesday


@pytest.fixture(autouse=True)
def _wednesday(freeze_now):
    freeze_now(NOW)


def _shift(days, area=None):
    shift = ShiftFactory(starts_at=NOW + timedelta(days=days))
    if area:
        shift.event.area_links.create(area=area)
    return shift


def test_a_profile_that_matches_nothing_gets_an_empty_list(login_as):
    nobody = volunteer()
    VolunteerProfile.objects.filter(user=nobody).update(
        interests=["animals"], skills="жонглёр", availability=["sun-evening"]
    )
    _shift(1, area="ecology")
    _shift(2)
    _shift(30, area="culture")
    assert login_as(nobody).get("/events/for-me/").context["recommendations"] == []
    assert bearer(nobody).get("/api/v1/me/recommendations").json() == {
        "items": [],
        "count": 0,
    }


def test_soon_only_orders_shifts_that_suit(login_as):
    person = volunteer()
    VolunteerProfile.objects.filter(user=person).update(interests=["ecology"])
    later = _shift(12, area="ecology")
    soon = _shift(2, area="ecology")
    _shift(1)  # tomorrow, nothing in common
    items = bearer(person).get("/api/v1/me/recommendations").json()["items"]
    assert [(i["shift"]["id"], i["score"]) for i in items] == [(soon.pk, 4), (later.pk, 3)]
    assert items[0]["reasons"] == ["совпадает с вашими интересами: Экология", "уже на этой неделе"]
    page = login_as(person).get("/events/for-me/").context["recommendations"]
    assert [r.shift for r in page] == [soon, later]
