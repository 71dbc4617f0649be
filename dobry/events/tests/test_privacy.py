import json
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.services import user_erase
from dobry.events.models import Registration
from dobry.events.services.registrations import registration_create
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_export_includes_profile_registrations_and_hours(login_as):
    person = volunteer()
    registration_create(user=person, shift=ShiftFactory(event__title="Чистый берег"))
    HoursEntry.objects.create(
        user=person,
        organization=OrganizationFactory(),
        date="2026-05-01",
        hours=3,
        claimed_hours=3,
        source="claim",
        description="Помог",
    )
    data = json.loads(login_as(person).post("/profile/export/").content)
    assert data["volunteering"]["profile"]["date_of_birth"] == "1990-05-17"
    assert data["registrations"][0]["event"] == "Чистый берег"
    assert data["volunteering"]["hours"][0]["hours"] == "3.00"


def test_erasure_frees_places_for_the_waiting_list_and_keeps_hours_anonymous():
    shift = ShiftFactory(capacity=1)
    person, waiting = volunteer(), volunteer()
    registration_create(user=person, shift=shift)
    next_in_line = registration_create(user=waiting, shift=shift)
    HoursEntry.objects.create(
        user=person,
        organization=shift.event.organization,
        date="2026-05-01",
        hours=3,
        claimed_hours=3,
        source="claim",
        description="Личные подробности",
    )
    user_erase(user=person, actor=None)
    next_in_line.refresh_from_db()
    assert next_in_line.status == Registration.Status.OFFERED
    assert not VolunteerProfile.objects.filter(user=person).exists()
    entry = HoursEntry.objects.get(user=person)
    assert (entry.hours, entry.description) == (3, "")


def test_erasure_keeps_the_registrations_of_shifts_begun_or_over_and_cancels_those_ahead():
    """Registrations still stand after their shift (the record of who came); cancelling one
    is refused once the shift has begun, and erasing anyone who ever took part failed."""
    person = volunteer()
    past = timezone.now() - timedelta(days=3)
    over = RegistrationFactory(
        user=person, shift=ShiftFactory(starts_at=past, ends_at=past + timedelta(hours=3))
    )
    now = timezone.now()
    under_way = RegistrationFactory(
        user=person,
        shift=ShiftFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2)),
        checked_in_at=now - timedelta(minutes=50),
    )
    ahead = RegistrationFactory(user=person, shift=ShiftFactory())

    user_erase(user=person, actor=None)

    statuses = {
        r.pk: r.status
        for r in Registration.objects.filter(pk__in=[over.pk, under_way.pk, ahead.pk])
    }
    assert statuses == {
        over.pk: Registration.Status.CONFIRMED,
        under_way.pk: Registration.Status.CONFIRMED,
        ahead.pk: Registration.Status.CANCELLED,
    }
    person.refresh_from_db()
    assert person.erased_at is not None
