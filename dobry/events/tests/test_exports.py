import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from dobry.events.models import Registration
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def test_event_calendar_file(client):
    shift = ShiftFactory(event__title="Чистый берег, Енисей; весна")
    response = client.get(f"/events/{shift.event_id}/event.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Чистый берег\\, Енисей\\; весна: Уборка" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_personal_feed_lists_my_confirmed_shifts_by_secret_url(client):
    mine = RegistrationFactory()
    RegistrationFactory(
        user=mine.user, status=Registration.Status.CANCELLED, shift__event__title="Отменённая"
    )
    token = VolunteerProfile.objects.get(user=mine.user).calendar_token
    body = client.get(f"/events/feed/{token}.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == 2  # the upcoming cancelled one, marked as such
    assert body.count("STATUS:CANCELLED") == 1
    assert client.get("/events/feed/wrong-token.ics").status_code == 404


def test_attendance_sheet_is_for_organisers(login_as, resident, outsider):
    registration = RegistrationFactory()
    MembershipFactory(
        organization=registration.shift.event.organization,
        user=resident,
        role=Membership.Role.EDITOR,
    )
    url = f"/events/{registration.shift.event_id}/attendance.xlsx"
    assert login_as(outsider).post(url).status_code == 403
    workbook = load_workbook(io.BytesIO(login_as(resident).post(url).content))
    rows = list(workbook.active.values)
    assert rows[1][3] == registration.user.email


def test_organiser_writes_to_all_participants(login_as, resident):
    shift = ShiftFactory()
    people = [RegistrationFactory(shift=shift).user for _ in range(2)]
    RegistrationFactory(shift=shift, status=Registration.Status.WAITLISTED, user=volunteer())
    MembershipFactory(
        organization=shift.event.organization, user=resident, role=Membership.Role.OWNER
    )
    client = login_as(resident)
    client.post(f"/events/{shift.event_id}/message/", {"subject": "", "message": ""})
    assert mail.outbox == []
    client.post(
        f"/events/{shift.event_id}/message/",
        {"subject": "Сбор", "message": "Встречаемся у входа в 9:45"},
    )
    assert {m.to[0] for m in mail.outbox} >= {p.email for p in people}
    assert len(mail.outbox) == 3
    assert "Встречаемся у входа" in mail.outbox[0].body
