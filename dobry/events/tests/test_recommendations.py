from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dobry.core.clock import local_today
from dobry.core.models import District
from dobry.events.recommendations import recommend
from dobry.events.tasks import send_weekly_digests
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user = volunteer()
    profile = VolunteerProfile.objects.get(user=user)
    profile.interests = ["ecology"]
    profile.skills = "фотограф, вожу машину"
    profile.save()
    return user


def test_matching_shifts_come_first_with_their_reasons(person):
    center = District.objects.create(name="Центр", slug="center")
    VolunteerProfile.objects.get(user=person).districts.add(center)
    best = ShiftFactory(event__title="Субботник", event__district=center, tasks="нужен фотограф")
    best.event.area_links.create(area="ecology")
    ShiftFactory(event__title="Не по интересам", starts_at=timezone.now() + timedelta(days=20))
    recs = recommend(person)
    assert [r.shift for r in recs] == [best]
    reasons = " ".join(recs[0].reasons)
    assert "Экология" in reasons
    assert "Центр" in reasons
    assert "фотограф" in reasons


def test_full_taken_and_unsuitable_shifts_are_left_out(person):
    full = ShiftFactory(capacity=1)
    full.event.area_links.create(area="ecology")
    RegistrationFactory(shift=full)
    mine = ShiftFactory()
    mine.event.area_links.create(area="ecology")
    RegistrationFactory(shift=mine, user=person)
    adults = ShiftFactory(min_age=21)
    adults.event.area_links.create(area="ecology")
    VolunteerProfile.objects.filter(user=person).update(
        date_of_birth=local_today().replace(year=local_today().year - 20)
    )
    assert recommend(person) == []


def test_page_needs_login_and_shows_reasons(client, login_as, person):
    shift = ShiftFactory()
    shift.event.area_links.create(area="ecology")
    assert client.get("/events/for-me/").status_code == 302
    assert (
        "совпадает с вашими интересами" in login_as(person).get("/events/for-me/").content.decode()
    )


def test_weekly_digest_goes_once_a_week_to_those_who_asked(person):
    shift = ShiftFactory()
    shift.event.area_links.create(area="ecology")
    assert send_weekly_digests.call() == 0
    VolunteerProfile.objects.filter(user=person).update(weekly_digest=True)
    assert send_weekly_digests.call() == 1
    assert send_weekly_digests.call() == 0
    assert shift.event.title in mail.outbox[0].body
