from datetime import timedelta
from decimal import Decimal

import pytest

from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.tests.row_locks import row_locks
from dobry.events.models import Registration, Shift
from dobry.events.services import attendance
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours

pytestmark = pytest.mark.django_db


def test_check_in_and_out_by_code_credit_pending_hours_in_quarters(coordinator, freeze_now):
    registration = RegistrationFactory()
    freeze_now(registration.shift.starts_at + timedelta(hours=3))
    event = registration.shift.event
    found = attendance.registration_by_code(event=event, code=f" {registration.code.lower()} ")
    assert found == registration
    start = registration.shift.starts_at
    attendance.registration_check_in(actor=coordinator, registration=found, at=start)
    entry = attendance.registration_check_out(
        actor=coordinator, registration=found, at=start + timedelta(hours=2, minutes=40)
    )
    assert entry.hours == Decimal("2.75")
    assert entry.status == HoursEntry.Status.PENDING
    assert entry.organization == event.organization
    assert entry.registration == registration


def test_unknown_code_and_wrong_order_are_explained(coordinator, freeze_now):
    registration = RegistrationFactory()
    freeze_now(registration.shift.starts_at)
    with pytest.raises(DomainError, match="не найден"):
        attendance.registration_by_code(event=registration.shift.event, code="NOPE1234")
    with pytest.raises(InvalidTransition, match="Сначала отметьте приход"):
        attendance.registration_check_out(actor=coordinator, registration=registration)
    attendance.registration_check_in(actor=coordinator, registration=registration)
    with pytest.raises(InvalidTransition, match="уже отмечен"):
        attendance.registration_check_in(actor=coordinator, registration=registration)


def test_only_confirmed_registrations_are_marked(coordinator):
    waiting = RegistrationFactory(status=Registration.Status.WAITLISTED)
    with pytest.raises(InvalidTransition):
        attendance.registration_check_in(actor=coordinator, registration=waiting)


def test_bulk_mark_credits_the_shift_length_once(coordinator, freeze_now):
    shift = ShiftFactory()
    freeze_now(shift.ends_at)
    people = [RegistrationFactory(shift=shift) for _ in range(3)]
    entries = attendance.attendance_bulk_mark(actor=coordinator, shift=shift, registrations=people)
    assert [e.hours for e in entries] == [Decimal("3.00")] * 3
    again = attendance.attendance_bulk_mark(actor=coordinator, shift=shift, registrations=people)
    assert again == []
    assert HoursEntry.objects.count() == 3


def test_bulk_mark_locks_the_list_in_key_order_whatever_order_it_was_ticked_in(
    coordinator, freeze_now
):
    """Two lists of one shift marked at once take the rows in the same order (no deadlock),
    and each registration is locked alone, not with its shift (capacity_guard's parent)."""
    shift = ShiftFactory()
    freeze_now(shift.ends_at)
    people = [RegistrationFactory(shift=shift) for _ in range(3)]
    with row_locks() as taken:
        entries = attendance.attendance_bulk_mark(
            actor=coordinator, shift=shift, registrations=people[::-1]
        )
    assert [e.registration_id for e in entries] == sorted(r.pk for r in people)
    assert Shift not in taken


def test_bulk_mark_refuses_a_registration_of_another_shift(coordinator, freeze_now):
    shift = ShiftFactory()
    freeze_now(shift.ends_at)
    other = RegistrationFactory()
    with pytest.raises(DomainError):
        attendance.attendance_bulk_mark(actor=coordinator, shift=shift, registrations=[other])


def test_hours_are_confirmed_adjusted_with_a_reason_or_declined_never_deleted(
    coordinator, freeze_now
):
    shift = ShiftFactory()
    freeze_now(shift.ends_at)
    [a, b, c] = attendance.attendance_bulk_mark(
        actor=coordinator,
        shift=shift,
        registrations=[RegistrationFactory(shift=shift) for _ in range(3)],
    )
    hours.hours_confirm(actor=coordinator, entry=a)
    with pytest.raises(DomainError, match="почему"):
        hours.hours_confirm(actor=coordinator, entry=b, hours="2")
    adjusted = hours.hours_confirm(actor=coordinator, entry=b, hours="2", reason="Ушёл раньше")
    assert (adjusted.hours, adjusted.claimed_hours) == (Decimal("2.00"), Decimal("3.00"))
    declined = hours.hours_decline(actor=coordinator, entry=c, reason="Не был на смене")
    assert declined.status == HoursEntry.Status.DECLINED
    with pytest.raises(InvalidTransition):
        hours.hours_confirm(actor=coordinator, entry=declined)
    assert HoursEntry.objects.count() == 3


def test_volunteers_claim_hours_for_help_outside_the_platform(resident):
    from django.utils import timezone

    from dobry.organizations.tests.factories import OrganizationFactory

    person = volunteer()
    organization = OrganizationFactory()
    with pytest.raises(DomainError):
        hours.hours_claim(
            user=person,
            organization=organization,
            day=timezone.localdate() - timedelta(days=1),
            hours="3",
            description="",
        )
    with pytest.raises(DomainError):
        hours.hours_claim(
            user=person,
            organization=organization,
            day=timezone.localdate() - timedelta(days=1),
            hours="30",
            description="x",
        )
    entry = hours.hours_claim(
        user=person,
        organization=organization,
        day=timezone.localdate() - timedelta(days=1),
        hours="3",
        description="Помог на складе",
    )
    assert entry.source == HoursEntry.Source.CLAIM
    assert entry.status == HoursEntry.Status.PENDING
