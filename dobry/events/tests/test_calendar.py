"""Calendars that imported a shift take its changes: the UID stays, SEQUENCE grows with each
change of time, place or cancellation, DTSTAMP/LAST-MODIFIED are the moment of that change
(RFC 5545 §3.8.7.4, RFC 5546 §2.1.4). Every feed is read back with `icalendar`."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from dobry.events.models import Registration
from dobry.events.services.events import event_cancel, event_update, shift_update
from dobry.events.services.registrations import registration_cancel
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def vevents(content: bytes) -> list:
    calendar = Calendar.from_ical(content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def event_feed(client, shift) -> list:
    response = client.get(f"/events/{shift.event_id}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return vevents(response.content)


def test_a_new_shift_has_sequence_0_and_a_stable_stamp_across_downloads(client, freeze_now):
    freeze_now(datetime(2026, 11, 1, 3, tzinfo=UTC))
    shift = ShiftFactory()
    [first] = event_feed(client, shift)
    freeze_now(datetime(2026, 11, 2, 3, tzinfo=UTC))
    [again] = event_feed(client, shift)
    assert first["UID"] == again["UID"]
    assert str(first["UID"]).startswith(f"shift-{shift.pk}@")
    assert first["SEQUENCE"] == again["SEQUENCE"] == 0
    assert first["DTSTAMP"].dt == again["DTSTAMP"].dt == datetime(2026, 11, 1, 3, tzinfo=UTC)
    assert first["LAST-MODIFIED"].dt == first["DTSTAMP"].dt
    assert str(first["STATUS"]) == "CONFIRMED"


def test_moving_a_shift_by_an_hour_keeps_the_uid_and_raises_the_sequence(
    client, coordinator, freeze_now
):
    freeze_now(datetime(2026, 11, 1, 3, tzinfo=UTC))
    shift = ShiftFactory(starts_at=datetime(2026, 12, 5, 3, tzinfo=UTC))
    [before] = event_feed(client, shift)
    freeze_now(datetime(2026, 11, 3, 4, tzinfo=UTC))
    shift_update(
        actor=coordinator,
        shift=shift,
        fields={
            "starts_at": shift.starts_at + timedelta(hours=1),
            "ends_at": shift.ends_at + timedelta(hours=1),
        },
    )
    [after] = event_feed(client, shift)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1 == 1
    assert after["DTSTART"].dt == datetime(2026, 12, 5, 4, tzinfo=UTC)
    assert after["DTSTAMP"].dt == after["LAST-MODIFIED"].dt == datetime(2026, 11, 3, 4, tzinfo=UTC)


def test_a_change_of_capacity_is_not_a_calendar_revision(client, coordinator):
    shift = ShiftFactory(capacity=5)
    shift_update(actor=coordinator, shift=shift, fields={"capacity": 8})
    [vevent] = event_feed(client, shift)
    assert vevent["SEQUENCE"] == 0


def test_a_new_place_raises_the_sequence_of_every_shift_of_the_event(client, coordinator):
    shift = ShiftFactory()
    ShiftFactory(event=shift.event, starts_at=shift.ends_at)
    event_update(actor=coordinator, event=shift.event, fields={"place": "Парк «Солнечный»"})
    found = event_feed(client, shift)
    assert [v["SEQUENCE"] for v in found] == [1, 1]
    assert all("Солнечный" in str(v["LOCATION"]) for v in found)


def test_a_cancelled_event_stays_in_calendars_as_cancelled(client, coordinator):
    registration = RegistrationFactory()
    shift = registration.shift
    event_cancel(actor=coordinator, event=shift.event, reason="Штормовое предупреждение")
    [vevent] = event_feed(client, shift)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 1
    token = VolunteerProfile.objects.get(user=registration.user).calendar_token
    [mine] = vevents(client.get(f"/events/feed/{token}.ics").content)
    assert str(mine["STATUS"]) == "CANCELLED"
    assert mine["UID"] == vevent["UID"]


def test_the_personal_feed_marks_my_own_cancellation_with_a_higher_sequence(client):
    registration = RegistrationFactory()
    token = VolunteerProfile.objects.get(user=registration.user).calendar_token
    [before] = vevents(client.get(f"/events/feed/{token}.ics").content)
    registration_cancel(user=registration.user, registration=registration)
    [after] = vevents(client.get(f"/events/feed/{token}.ics").content)
    assert after["UID"] == before["UID"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1


def test_the_personal_feed_leaves_out_past_cancellations_and_waiting(client):
    mine = RegistrationFactory()
    past = ShiftFactory()
    RegistrationFactory(user=mine.user, shift=past, status=Registration.Status.CANCELLED)
    type(past).objects.filter(pk=past.pk).update(
        starts_at=datetime(2025, 1, 1, tzinfo=UTC), ends_at=datetime(2025, 1, 1, 3, tzinfo=UTC)
    )
    RegistrationFactory(user=mine.user, status=Registration.Status.WAITLISTED)
    token = VolunteerProfile.objects.get(user=mine.user).calendar_token
    assert len(vevents(client.get(f"/events/feed/{token}.ics").content)) == 1


def test_text_people_typed_is_escaped_and_lines_are_folded(client):
    shift = ShiftFactory(event__title="Чистый берег, Енисей; весна " + "очень длинно " * 10)
    content = client.get(f"/events/{shift.event_id}/event.ics").content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    [vevent] = vevents(content)
    assert str(vevent["SUMMARY"]).startswith("Чистый берег, Енисей; весна")
