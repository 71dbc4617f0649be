"""Attendance is honest in time (issue 11 §5): check-in and check-out only within a window
around the shift (DOBRY_CHECK_IN_OPENS_HOURS before the start to DOBRY_CHECK_IN_CLOSES_HOURS
after the end), never at a moment still to come; no cancellation after check-in; never
hours for a cancelled registration or a future date."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from dobry.core.errors import DomainError, InvalidTransition
from dobry.events.models import Registration
from dobry.events.services import attendance
from dobry.events.services.events import event_cancel
from dobry.events.services.registrations import registration_cancel
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)  # 10:00 in Krasnoyarsk


@pytest.fixture
def registration(freeze_now):
    freeze_now(START - timedelta(days=20))
    return RegistrationFactory(
        shift=ShiftFactory(starts_at=START, ends_at=START + timedelta(hours=3))
    )


def test_the_issues_example_check_in_13_days_early_is_refused(
    registration, coordinator, freeze_now
):
    freeze_now(START - timedelta(days=13))
    with pytest.raises(InvalidTransition, match="Отмечать приход"):
        attendance.registration_check_in(actor=coordinator, registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert HoursEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [
        (-timedelta(hours=2, seconds=1), False),
        (-timedelta(hours=2), True),
        (timedelta(hours=3 + 12), True),  # 12 h after the end
        (timedelta(hours=3 + 12, seconds=1), False),
    ],
)
def test_check_in_opens_2_hours_before_and_closes_12_hours_after_the_end(
    registration, coordinator, freeze_now, offset, allowed
):
    freeze_now(START + offset)
    if allowed:
        attendance.registration_check_in(actor=coordinator, registration=registration)
        registration.refresh_from_db()
        assert registration.checked_in_at == START + offset
    else:
        with pytest.raises(InvalidTransition):
            attendance.registration_check_in(actor=coordinator, registration=registration)


def test_the_window_is_a_setting(registration, coordinator, freeze_now, settings):
    settings.DOBRY_CHECK_IN_OPENS_HOURS = 24
    freeze_now(START - timedelta(hours=20))
    attendance.registration_check_in(actor=coordinator, registration=registration)
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_a_moment_still_to_come_is_refused(registration, coordinator, freeze_now):
    freeze_now(START)
    with pytest.raises(DomainError, match="будущем"):
        attendance.registration_check_in(
            actor=coordinator, registration=registration, at=START + timedelta(hours=1)
        )


def test_a_recorded_moment_outside_the_window_is_refused(registration, coordinator, freeze_now):
    freeze_now(START)
    with pytest.raises(DomainError, match="окне"):
        attendance.registration_check_in(
            actor=coordinator, registration=registration, at=START - timedelta(days=1)
        )


def test_check_out_13_days_early_credits_nothing(registration, coordinator, freeze_now):
    freeze_now(START)
    attendance.registration_check_in(actor=coordinator, registration=registration)
    with pytest.raises(DomainError, match="будущем"):
        attendance.registration_check_out(
            actor=coordinator, registration=registration, at=START + timedelta(minutes=15, days=13)
        )
    assert HoursEntry.objects.count() == 0


def test_check_out_before_check_in_is_refused(registration, coordinator, freeze_now):
    freeze_now(START + timedelta(hours=1))
    attendance.registration_check_in(actor=coordinator, registration=registration)
    with pytest.raises(DomainError, match="раньше прихода"):
        attendance.registration_check_out(
            actor=coordinator, registration=registration, at=START + timedelta(minutes=30)
        )


def test_check_out_credits_the_time_on_the_day_of_the_shift(registration, coordinator, freeze_now):
    freeze_now(START - timedelta(minutes=10))
    attendance.registration_check_in(actor=coordinator, registration=registration)
    freeze_now(START + timedelta(hours=2, minutes=50))
    entry = attendance.registration_check_out(actor=coordinator, registration=registration)
    assert entry.hours == Decimal("2.75")  # the ten minutes before the start are not the shift
    assert str(entry.date) == "2026-12-12"


def test_no_cancellation_after_check_in(registration, coordinator, freeze_now):
    freeze_now(START)
    attendance.registration_check_in(actor=coordinator, registration=registration)
    with pytest.raises(InvalidTransition, match="уже отмечены"):
        registration_cancel(user=registration.user, registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_hours_of_a_cancelled_registration_cannot_be_confirmed(
    registration, coordinator, freeze_now
):
    freeze_now(START)
    attendance.registration_check_in(actor=coordinator, registration=registration)
    freeze_now(START + timedelta(hours=1))
    entry = attendance.registration_check_out(actor=coordinator, registration=registration)
    event_cancel(actor=coordinator, event=registration.shift.event, reason="Непогода")
    with pytest.raises(InvalidTransition, match="отменена"):
        hours.hours_confirm(actor=coordinator, entry=entry)
    assert HoursEntry.objects.get(pk=entry.pk).status == HoursEntry.Status.PENDING


def test_hours_dated_in_the_future_cannot_be_recorded_or_confirmed(
    registration, coordinator, freeze_now
):
    freeze_now(START)
    organization = registration.shift.event.organization
    with pytest.raises(DomainError, match="будущ"):
        hours.hours_record(
            user=registration.user,
            organization=organization,
            day=(START + timedelta(days=2)).date(),
            hours=Decimal("1"),
            source=HoursEntry.Source.CLAIM,
        )
    entry = HoursEntry.objects.create(
        user=registration.user,
        organization=organization,
        date=(START + timedelta(days=2)).date(),
        hours=Decimal("1"),
        claimed_hours=Decimal("1"),
        source=HoursEntry.Source.CLAIM,
    )
    with pytest.raises(DomainError, match="будущ"):
        hours.hours_confirm(actor=coordinator, entry=entry)


def test_a_paper_list_is_marked_only_after_the_shift_ended(registration, coordinator, freeze_now):
    shift = registration.shift
    freeze_now(START + timedelta(hours=1))
    with pytest.raises(InvalidTransition, match="после окончания"):
        attendance.attendance_bulk_mark(
            actor=coordinator, shift=shift, registrations=[registration]
        )
    freeze_now(START + timedelta(days=5))
    [entry] = attendance.attendance_bulk_mark(
        actor=coordinator, shift=shift, registrations=[registration]
    )
    assert entry.hours == Decimal("3.00")
