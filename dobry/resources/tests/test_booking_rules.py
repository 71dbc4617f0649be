"""Room booking rules on the city's clock (Asia/Krasnoyarsk, UTC+7): opening hours, one day,
twelve hours at most, capacity, overlaps, and what staff decisions leave behind."""

from datetime import time, timedelta
from decimal import Decimal

import pytest

from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.core.references import Reference
from dobry.organizations.tests.factories import MembershipFactory
from dobry.resources import rooms
from dobry.resources.models import RoomBooking, SupportKind, SupportRecord
from dobry.resources.tests.factories import CITY_NOW, RoomFactory, city_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_city_now")]

NOW = CITY_NOW
local = city_moment


@pytest.fixture
def member(resident, organization):
    return resident, organization


@pytest.fixture
def room():
    """Open 08:00–22:00 local, thirty places (the factory's room)."""
    return RoomFactory(name="Малый зал")


def book(member, room, starts_at, ends_at, *, purpose="Собрание", attendees=1):
    user, organization = member
    return rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        attendees=attendees,
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((8, 0), (9, 0)),  # 01:00–02:00 UTC: opening hours are read on the city's clock
        ((21, 0), (22, 0)),  # ends exactly at closing time
        ((8, 0), (20, 0)),  # exactly twelve hours
    ],
)
def test_a_booking_within_local_opening_hours_is_accepted(member, room, start, end):
    booking = book(member, room, local(2, *start), local(2, *end))
    assert booking.status == RoomBooking.Status.REQUESTED
    assert booking.starts_at == local(2, *start)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (local(2, 7, 30), local(2, 9), "starts_at", "Помещение открыто с 08:00 до 22:00."),
        (local(2, 21), local(2, 22, 30), "starts_at", "Помещение открыто с 08:00 до 22:00."),
        (local(2, 12), local(2, 12), "ends_at", "Окончание должно быть позже начала."),
        (local(2, 12), local(2, 11), "ends_at", "Окончание должно быть позже начала."),
        (local(2, 8), local(2, 20, 1), "ends_at", "Бронировать можно не больше чем на 12 часов."),
        (local(0, 9), local(0, 11), "starts_at", "Нельзя забронировать время в прошлом."),
    ],
)
def test_times_outside_the_rules_are_refused_at_their_field(
    member, room, start, end, field, message
):
    with pytest.raises(DomainError) as error:
        book(member, room, start, end)
    assert message in error.value.field_errors[field]
    assert not RoomBooking.objects.exists()


def test_a_booking_across_local_midnight_is_refused_even_in_a_room_open_all_day(member):
    room = RoomFactory(opens_at=time(0, 0), closes_at=time(23, 59))
    with pytest.raises(DomainError) as error:
        book(member, room, local(2, 23), local(3, 1))
    assert "Помещение открыто с 00:00 до 23:59." in error.value.field_errors["starts_at"]


def test_a_booking_later_today_is_accepted(member, room):
    assert book(member, room, local(0, 10, 30), local(0, 11, 30)).pk


@pytest.mark.parametrize(("attendees", "accepted"), [(30, True), (31, False)])
def test_attendees_may_fill_the_room_but_not_more(member, room, attendees, accepted):
    if accepted:
        assert book(member, room, local(1, 10), local(1, 11), attendees=attendees).attendees == 30
        return
    with pytest.raises(DomainError) as error:
        book(member, room, local(1, 10), local(1, 11), attendees=attendees)
    assert error.value.field_errors["attendees"] == ["В помещении не больше 30 человек."]


def test_a_room_that_is_not_bookable_and_an_empty_purpose_are_refused(member, room):
    room.is_active = False
    room.save()
    with pytest.raises(DomainError, match="сейчас не бронируется"):
        book(member, room, local(1, 10), local(1, 11))
    other = RoomFactory()
    with pytest.raises(DomainError) as error:
        book(member, other, local(1, 10), local(1, 11), purpose="   ")
    assert "purpose" in error.value.field_errors
    assert not RoomBooking.objects.exists()


def test_the_purpose_is_kept_trimmed(member, room):
    booking = book(member, room, local(1, 10), local(1, 11), purpose="  Совет НКО  ")
    assert booking.purpose == "Совет НКО"


@pytest.mark.parametrize(
    ("start", "end", "free"),
    [
        ((9, 0), (11, 0), False),
        ((11, 0), (13, 0), False),
        ((10, 30), (11, 30), False),
        ((9, 0), (13, 0), False),
        ((10, 0), (12, 0), False),
        ((8, 0), (10, 0), True),
        ((12, 0), (14, 0), True),
    ],
)
def test_overlaps_with_a_held_slot_are_refused_and_touching_ones_are_not(
    member, room, start, end, free
):
    book(member, room, local(1, 10), local(1, 12))
    if free:
        assert book(member, room, local(1, *start), local(1, *end)).pk
        return
    with pytest.raises(DomainError) as error:
        book(member, room, local(1, *start), local(1, *end))
    assert error.value.field_errors == {"starts_at": ["Время занято."]}
    assert RoomBooking.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "holds"),
    [
        (RoomBooking.Status.REQUESTED, True),
        (RoomBooking.Status.CONFIRMED, True),
        (RoomBooking.Status.DECLINED, False),
        (RoomBooking.Status.CANCELLED, False),
    ],
)
def test_only_requested_and_confirmed_bookings_hold_the_slot(member, room, status, holds):
    first = book(member, room, local(1, 10), local(1, 12))
    RoomBooking.objects.filter(pk=first.pk).update(status=status)
    if holds:
        with pytest.raises(DomainError, match="уже занято"):
            book(member, room, local(1, 10), local(1, 12))
    else:
        assert book(member, room, local(1, 10), local(1, 12)).pk != first.pk


def test_the_same_time_in_another_room_is_free(member, room):
    book(member, room, local(1, 10), local(1, 12))
    assert book(member, RoomFactory(), local(1, 10), local(1, 12)).pk


def test_a_request_is_audited(member, room):
    booking = book(member, room, local(1, 10), local(1, 12))
    entry = AuditEntry.objects.for_object(booking).get()
    assert (entry.action, entry.actor) == ("room.request", member[0])


# --- staff decisions --------------------------------------------------------------------


def test_confirming_an_early_morning_booking_records_support_on_its_local_date(member, coordinator):
    """06:30 in the city is 23:30 UTC the day before: the registry shows the city's day."""
    room = RoomFactory(name="Зал АРГО", opens_at=time(6, 0))
    booking = book(member, room, local(2, 6, 30), local(2, 8), purpose="Зарядка")
    rooms.booking_confirm(actor=coordinator, booking=booking, value_rub=Decimal("1500.00"))
    record = SupportRecord.objects.get()
    assert record.date == NOW.date() + timedelta(days=2)
    assert (record.kind, record.organization, record.person) == (
        SupportKind.PROPERTY,
        member[1],
        None,
    )
    assert record.value_rub == Decimal("1500.00")
    # the purpose the booker typed stays the booking's; the entry names the room
    assert (record.made_from, record.made_params) == ("room", {"room": "Зал АРГО"})
    assert record.description_text == "Помещение «Зал АРГО»"
    assert record.source == Reference("room_booking", booking.pk)


def test_the_booker_hears_of_the_decision_and_it_is_audited(member, room, coordinator):
    confirmed = book(member, room, local(1, 10), local(1, 11))
    declined = book(member, room, local(1, 12), local(1, 13))
    rooms.booking_confirm(actor=coordinator, booking=confirmed)
    rooms.booking_decline(actor=coordinator, booking=declined, reason="  Ремонт  ")
    declined.refresh_from_db()
    assert (declined.status, declined.reason) == (RoomBooking.Status.DECLINED, "Ремонт")
    assert Notification.objects.filter(user=member[0], kind="room_decided").count() == 2
    assert AuditEntry.objects.for_object(declined).filter(action="room.decline").get().data == {
        "reason": "Ремонт"
    }
    assert AuditEntry.objects.for_object(confirmed).filter(action="room.confirm").exists()
    assert SupportRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (RoomBooking.Status.CONFIRMED, "decline"),
        (RoomBooking.Status.DECLINED, "confirm"),
        (RoomBooking.Status.CANCELLED, "confirm"),
        (RoomBooking.Status.CANCELLED, "decline"),
    ],
)
def test_a_decided_booking_is_not_decided_again(member, room, coordinator, status, decide):
    booking = book(member, room, local(1, 10), local(1, 11))
    RoomBooking.objects.filter(pk=booking.pk).update(status=status)
    decisions = {
        "confirm": lambda: rooms.booking_confirm(actor=coordinator, booking=booking),
        "decline": lambda: rooms.booking_decline(actor=coordinator, booking=booking, reason="Нет"),
    }
    with pytest.raises(InvalidTransition, match="уже рассмотрена"):
        decisions[decide]()
    booking.refresh_from_db()
    assert booking.status == status
    assert not SupportRecord.objects.exists()


def test_a_decline_without_a_reason_changes_nothing(member, room, coordinator):
    booking = book(member, room, local(1, 10), local(1, 11))
    with pytest.raises(DomainError) as error:
        rooms.booking_decline(actor=coordinator, booking=booking, reason=" \n ")
    assert "reason" in error.value.field_errors
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.REQUESTED


@pytest.mark.parametrize("status", [RoomBooking.Status.DECLINED, RoomBooking.Status.CANCELLED])
def test_a_booking_no_longer_held_cannot_be_cancelled(member, room, status):
    booking = book(member, room, local(1, 10), local(1, 11))
    RoomBooking.objects.filter(pk=booking.pk).update(status=status)
    with pytest.raises(InvalidTransition, match="уже не действует"):
        rooms.booking_cancel(user=member[0], booking=booking)


def test_a_confirmed_booking_cancelled_frees_the_slot_and_leaves_no_support_entry(
    member, room, coordinator
):
    """The room was not used: the registry must not count property support for it."""
    booking = book(member, room, local(1, 10), local(1, 11))
    rooms.booking_confirm(actor=coordinator, booking=booking)
    rooms.booking_cancel(user=member[0], booking=booking)
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.CANCELLED
    assert not SupportRecord.objects.exists()
    assert AuditEntry.objects.for_object(booking).filter(action="room.cancel").exists()
    assert book(member, room, local(1, 10), local(1, 11)).pk != booking.pk


def test_a_booking_that_has_begun_cannot_be_cancelled(member, room, coordinator, freeze_now):
    booking = book(member, room, local(0, 11), local(0, 13))
    rooms.booking_confirm(actor=coordinator, booking=booking)
    freeze_now(local(0, 11, 30))
    with pytest.raises(DomainError, match="уже началась"):
        rooms.booking_cancel(user=member[0], booking=booking)
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.CONFIRMED
    assert SupportRecord.objects.count() == 1


def test_another_member_of_the_organisation_cannot_cancel_it(member, room, outsider):
    booking = book(member, room, local(1, 10), local(1, 11))
    MembershipFactory(organization=member[1], user=outsider)
    with pytest.raises(DomainError, match="тот, кто её сделал"):
        rooms.booking_cancel(user=outsider, booking=booking)
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.REQUESTED
