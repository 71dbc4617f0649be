"""Hours from attendance are the time of the shift a person was there: the overlap of
[check-in, check-out] with [start, end], in quarter hours; no overlap, no entry. The same
service for the check-in page, the API and the paper list."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import InvalidTransition
from dobry.events.models import Event, Registration
from dobry.events.services import attendance
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 12, 9, 10, tzinfo=city_zone())
START = NOW + timedelta(minutes=50)  # 10:00 local
END = START + timedelta(hours=3)


@pytest.fixture
def organiser(resident):
    return resident


@pytest.fixture
def registration(organiser, freeze_now):
    freeze_now(NOW)
    event = EventFactory()
    MembershipFactory(user=organiser, organization=event.organization, role=Membership.Role.EDITOR)
    return RegistrationFactory(shift=ShiftFactory(event=event, starts_at=START, ends_at=END))


def test_check_out_a_moment_after_check_in_before_the_start_is_refused(
    registration, organiser, freeze_now
):
    # The tester's example: the shift starts in 50 minutes; check-in and check-out 0.1 s
    # apart. Leaving before the start is no attendance: 409, and the real leaving later
    # still credits the shift (issue 11 — it used to store 09:10–09:10 and block any mark).
    api = bearer(organiser)
    arrived = api.post(f"/api/v1/registrations/{registration.pk}/check-in")
    assert arrived.status_code == 200, arrived.content
    freeze_now(NOW + timedelta(milliseconds=100))
    left = api.post(f"/api/v1/registrations/{registration.pk}/check-out")
    assert left.status_code == 409, left.content
    assert "после начала смены" in left.json()["message"]
    registration.refresh_from_db()
    assert registration.checked_out_at is None
    assert not HoursEntry.objects.filter(user=registration.user).exists()
    freeze_now(END)
    assert api.post(f"/api/v1/registrations/{registration.pk}/check-out").status_code == 200
    assert HoursEntry.objects.get(user=registration.user).hours == Decimal("3.00")


def test_the_check_in_page_refuses_leaving_before_the_start(
    registration, organiser, freeze_now, login_as
):
    page = login_as(organiser)
    url = f"/events/{registration.shift.event_id}/checkin/"
    page.post(url, {"code": registration.code, "action": "in"})
    freeze_now(NOW + timedelta(minutes=5))
    response = page.post(url, {"code": registration.code, "action": "out"}, follow=True)
    assert "Уход можно отметить только после начала смены" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_out_at is None
    assert not HoursEntry.objects.exists()


def test_coming_early_and_staying_late_credit_only_the_shift(registration, organiser, freeze_now):
    attendance.registration_check_in(actor=organiser, registration=registration)  # 50 min early
    freeze_now(END + timedelta(hours=1))
    entry = attendance.registration_check_out(actor=organiser, registration=registration)
    assert entry is not None
    assert entry.hours == Decimal("3.00")
    assert entry.source == HoursEntry.Source.ATTENDANCE


def test_an_early_arrival_counts_from_the_start(registration, organiser, freeze_now):
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(hours=1))
    entry = attendance.registration_check_out(actor=organiser, registration=registration)
    assert entry is not None
    assert entry.hours == Decimal("1.00")


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(67, Decimal("1.00")), (68, Decimal("1.25")), (7, None), (8, Decimal("0.25"))],
)
def test_the_overlap_is_rounded_to_the_quarter_hour_half_up(
    registration, organiser, freeze_now, minutes, hours
):
    freeze_now(START)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(minutes=minutes))
    entry = attendance.registration_check_out(actor=organiser, registration=registration)
    assert (entry.hours if entry else None) == hours


def test_a_check_in_after_the_end_credits_nothing(registration, organiser, freeze_now):
    freeze_now(END + timedelta(minutes=30))
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(END + timedelta(hours=2))
    assert attendance.registration_check_out(actor=organiser, registration=registration) is None
    assert not HoursEntry.objects.exists()


def test_a_paper_list_credits_from_a_late_arrival_to_the_end(registration, organiser, freeze_now):
    registration.checked_in_at = START + timedelta(minutes=45)
    registration.save(update_fields=["checked_in_at"])
    freeze_now(END)
    [entry] = attendance.attendance_bulk_mark(
        actor=organiser, shift=registration.shift, registrations=[registration]
    )
    assert entry.hours == Decimal("2.25")


def test_a_seminar_follows_the_same_rule(registration, organiser, freeze_now):
    Event.objects.filter(pk=registration.shift.event_id).update(kind=Event.Kind.SEMINAR)
    registration = Registration.objects.get(pk=registration.pk)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(NOW + timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="после начала смены"):
        attendance.registration_check_out(actor=organiser, registration=registration)
