import json

import pytest

from dobry.accounts.services import user_erase
from dobry.events.models import Registration
from dobry.events.services.registrations import registration_create
from dobry.events.tests.factories import ShiftFactory, volunteer
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
