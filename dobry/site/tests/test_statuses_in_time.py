"""A status says where things stand now (issue 11, «the rough edges a new user hits»): a
registration for a shift that is over is not «записан», a booking whose time has passed is
not «подтверждено», an event that has ended is not «опубликовано». One helper decides it
(`core.dates.status_text`, the `status` filter in templates) from each model's
`STATUS_IN_TIME`, and every list and detail page shows it."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from dobry.core.clock import city_zone
from dobry.core.dates import status_text
from dobry.events.models import Event, Registration
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.helprequests.models import HelpOffer
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

# A shift from 20:00 to 23:30 on the city's clock (16:30 UTC): «now» is set around its end.
STARTS = datetime(2031, 3, 10, 20, 0, tzinfo=city_zone())
ENDS = datetime(2031, 3, 10, 23, 30, tzinfo=city_zone())
BEFORE, AFTER = ENDS - timedelta(minutes=1), ENDS + timedelta(minutes=1)


@pytest.fixture
def shift(freeze_now):
    freeze_now(STARTS - timedelta(days=1))
    return ShiftFactory(starts_at=STARTS, ends_at=ENDS, event__title="Вечерний рейд")


def _registration(shift, **fields) -> Registration:
    return RegistrationFactory(shift=shift, **fields)


# --- the helper ------------------------------------------------------------------------------


def test_a_confirmed_place_reads_booked_until_the_shift_ends_on_the_city_clock(shift):
    registration = _registration(shift)
    assert status_text(registration, now=BEFORE) == "записан"
    assert status_text(registration, now=AFTER) == "нет отметки о приходе"


def test_after_the_shift_attendance_tells_who_came_and_who_did_not(shift):
    came = _registration(shift, checked_in_at=STARTS, checked_out_at=ENDS)
    missed = _registration(shift)
    assert status_text(came, now=BEFORE) == "участие отмечено"
    assert status_text(missed, now=AFTER) == "неявка"
    on_shift = _registration(shift, checked_in_at=STARTS)
    assert status_text(on_shift, now=BEFORE) == "на смене"


@pytest.mark.parametrize(
    ("status", "after"),
    [
        (Registration.Status.PENDING_APPROVAL, "смена прошла"),
        (Registration.Status.WAITLISTED, "смена прошла"),
        (Registration.Status.OFFERED, "предложение истекло"),
        (Registration.Status.CANCELLED, "отменено"),
        (Registration.Status.DECLINED, "отклонено организатором"),
    ],
)
def test_other_registrations_after_the_shift(shift, status, after):
    registration = _registration(shift, status=status)
    assert status_text(registration, now=AFTER) == after


def test_an_event_reads_published_until_it_ends_then_past(shift):
    event = Event.objects.get(pk=shift.event_id)
    assert status_text(event, now=BEFORE) == "опубликовано"
    assert status_text(event, now=AFTER) == "прошло"
    event.status = Event.Status.CANCELLED
    assert status_text(event, now=AFTER) == "отменено"


def test_a_booking_reads_past_once_its_time_is_over(shift):
    booking = RoomBooking.objects.create(
        room=RoomFactory(),
        organization=shift.event.organization,
        starts_at=STARTS,
        ends_at=ENDS,
        purpose="Собрание",
        status=RoomBooking.Status.CONFIRMED,
    )
    assert status_text(booking, now=BEFORE) == "подтверждено"
    assert status_text(booking, now=AFTER) == "прошло"
    booking.status = RoomBooking.Status.REQUESTED
    assert status_text(booking, now=AFTER) == "не рассмотрено вовремя"


def test_an_unanswered_help_offer_reads_expired_before_the_job_marks_it(shift):
    offer = HelpOffer.objects.create(
        request=HelpRequestFactory(), volunteer=volunteer(), expires_at=ENDS
    )
    assert status_text(offer, now=BEFORE) == "предложено"
    assert status_text(offer, now=AFTER) == "время вышло"


def test_the_labels_are_translated(shift):
    registration = _registration(shift)
    event = Event.objects.get(pk=shift.event_id)
    with translation.override("en"):
        assert status_text(registration, now=AFTER) == "no check-in recorded"
        assert status_text(event, now=AFTER) == "over"


# --- the pages -------------------------------------------------------------------------------


def test_my_shifts_page_shows_a_past_place_as_not_attended(login_as, shift, freeze_now):
    registration = _registration(shift)
    _registration(shift, checked_in_at=STARTS)  # the organiser marked attendance
    freeze_now(AFTER)
    page = login_as(registration.user).get("/events/my/").content.decode()
    assert "неявка" in page
    assert "<strong>записан</strong>" not in page


def test_the_event_page_shows_ones_own_place_as_it_is_now(login_as, shift, freeze_now):
    registration = _registration(shift)
    client = login_as(registration.user)
    freeze_now(BEFORE)
    assert (
        "Ваша запись:</strong> записан" in client.get(f"/events/{shift.event_id}/").content.decode()
    )
    freeze_now(AFTER)
    page = client.get(f"/events/{shift.event_id}/").content.decode()
    assert "Ваша запись:</strong> нет отметки о приходе" in page


def test_the_organisers_page_shows_the_event_over_and_who_did_not_come(login_as, shift, freeze_now):
    missed = _registration(shift)
    _registration(shift, checked_in_at=STARTS, checked_out_at=ENDS)
    editor = MembershipFactory(
        organization=shift.event.organization, role=Membership.Role.EDITOR
    ).user
    freeze_now(AFTER)
    page = login_as(editor).get(f"/events/{shift.event_id}/manage/").content.decode()
    assert "<strong>прошло</strong>" in page
    assert "неявка" in page
    assert "участие отмечено" in page
    assert missed.user.display_name in page


def test_my_bookings_and_the_rooms_week_show_a_past_booking_as_past(login_as, shift, freeze_now):
    member = MembershipFactory(organization=shift.event.organization).user
    room = RoomFactory()
    RoomBooking.objects.create(
        room=room,
        organization=shift.event.organization,
        booked_by=member,
        starts_at=STARTS,
        ends_at=ENDS - timedelta(hours=2),
        purpose="Собрание",
        status=RoomBooking.Status.CONFIRMED,
    )
    freeze_now(AFTER)
    client = login_as(member)
    assert "<strong>прошло</strong>" in client.get("/desk/rooms/my/").content.decode()
    week = client.get(f"/desk/rooms/{room.pk}/", {"week": "2031-03-10"}).content.decode()
    assert "(прошло)" in week
    assert "(подтверждено)" not in week


def test_my_help_offers_show_an_unanswered_one_as_expired(login_as, shift, freeze_now):
    person = volunteer()
    HelpOffer.objects.create(request=HelpRequestFactory(), volunteer=person, expires_at=ENDS)
    freeze_now(AFTER)
    page = login_as(person).get("/help/mine/").content.decode()
    assert "время вышло" in page


def test_the_pages_speak_english_too(login_as, shift, freeze_now):
    registration = _registration(shift)
    client = login_as(registration.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    freeze_now(AFTER)
    assert "no check-in recorded" in client.get("/events/my/").content.decode()


# --- one helper, not one rule per template ---------------------------------------------------


def test_no_page_prints_a_status_without_the_clock():
    """Pages show a status with `|status` (or the workflow filters, which use the same
    helper), never `get_status_display`: notifications keep it, since they tell of a
    decision at the moment it is taken."""
    root = Path(__file__).resolve().parents[3] / "templates"
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "get_status_display" in path.read_text(encoding="utf-8")
    ]
    assert found == []
