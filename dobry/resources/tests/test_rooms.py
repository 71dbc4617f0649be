from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.tests.threads import at_once
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import RoomBooking, SupportRecord
from dobry.resources.tests.factories import RoomFactory


def at(hour: int, days: int = 2) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def member(resident):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident)
    return resident, organization


@pytest.mark.django_db
def test_a_booked_slot_cannot_be_booked_again_but_adjacent_ones_can(member):
    user, organization = member
    room = RoomFactory()
    rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(10),
        ends_at=at(12),
        purpose="Собрание",
    )
    with pytest.raises(DomainError, match="занято"):
        rooms.booking_request(
            user=user,
            room=room,
            organization=organization,
            starts_at=at(11),
            ends_at=at(13),
            purpose="Ещё",
        )
    rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(12),
        ends_at=at(13),
        purpose="Следом",
    )
    assert RoomBooking.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "attendees", "field"),
    [
        (12, 11, 1, "ends_at"),
        (6, 9, 1, "starts_at"),
        (21, 23, 1, "starts_at"),
        (10, 11, 99, "attendees"),
    ],
)
def test_times_hours_and_capacity_are_checked(member, start, end, attendees, field):
    user, organization = member
    with pytest.raises(DomainError) as error:
        rooms.booking_request(
            user=user,
            room=RoomFactory(),
            organization=organization,
            starts_at=at(start),
            ends_at=at(end),
            purpose="x",
            attendees=attendees,
        )
    assert field in error.value.field_errors


@pytest.mark.django_db
def test_only_members_book_for_their_organisation(outsider):
    with pytest.raises(DomainError, match="участники"):
        rooms.booking_request(
            user=outsider,
            room=RoomFactory(),
            organization=OrganizationFactory(),
            starts_at=at(10),
            ends_at=at(11),
            purpose="x",
        )


@pytest.mark.django_db
def test_confirming_records_property_support_once_and_decline_needs_a_reason(member, coordinator):
    user, organization = member
    room = RoomFactory()
    booking = rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(10),
        ends_at=at(12),
        purpose="Собрание",
    )
    rooms.booking_confirm(actor=coordinator, booking=booking)
    with pytest.raises(InvalidTransition):
        rooms.booking_confirm(actor=coordinator, booking=booking)
    record = SupportRecord.objects.get()
    assert (record.kind, record.organization) == ("property", organization)
    other = rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(14),
        ends_at=at(15),
        purpose="Репетиция",
    )
    with pytest.raises(DomainError):
        rooms.booking_decline(actor=coordinator, booking=other, reason="")
    rooms.booking_decline(actor=coordinator, booking=other, reason="Ремонт")
    rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(14),
        ends_at=at(15),
        purpose="Снова",
    )


@pytest.mark.django_db
def test_a_cancelled_booking_frees_the_slot(member, outsider):
    user, organization = member
    room = RoomFactory()
    booking = rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(10),
        ends_at=at(12),
        purpose="x",
    )
    with pytest.raises(DomainError):
        rooms.booking_cancel(user=outsider, booking=booking)
    rooms.booking_cancel(user=user, booking=booking)
    rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(10),
        ends_at=at(12),
        purpose="y",
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_concurrent_requests_for_one_slot_give_exactly_one_booking():
    from dobry.events.tests.factories import volunteer

    room = RoomFactory()
    organization = OrganizationFactory()
    people = [volunteer() for _ in range(12)]
    for person in people:
        MembershipFactory(organization=organization, user=person)

    def book(person):
        return rooms.booking_request(
            user=person,
            room=room,
            organization=organization,
            starts_at=at(10),
            ends_at=at(12),
            purpose="x",
        )

    booked, refused = at_once(book, people, timeout=90)
    assert len(booked) == 1
    assert len(refused) == 11
    assert all(isinstance(error, DomainError) for error in refused), refused
    assert RoomBooking.objects.count() == 1
