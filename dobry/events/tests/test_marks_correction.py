"""Attendance marks an organiser can trust and correct (issue 11): leaving is marked only
after the shift starts (a check-out at 10:31 for a shift at 11:00 left the marks 10:31–10:31,
no hours, and a 409 on every new mark); the organiser corrects marks — page and API, one
service, audited — and the pending hours follow the corrected time."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.events.services import attendance
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 12, 4, 0, tzinfo=UTC)  # 11:00 in Krasnoyarsk


@pytest.fixture
def registration(freeze_now):
    freeze_now(START - timedelta(days=20))
    return RegistrationFactory(
        shift=ShiftFactory(starts_at=START, ends_at=START + timedelta(hours=3))
    )


@pytest.fixture
def organiser(registration, resident):
    organization = registration.shift.event.organization
    MembershipFactory(user=resident, organization=organization, role=Membership.Role.EDITOR)
    return resident


def test_the_issues_example_leaving_before_the_start_is_refused(
    registration, coordinator, freeze_now
):
    freeze_now(START - timedelta(minutes=29))  # 10:31
    attendance.registration_check_in(actor=coordinator, registration=registration)
    with pytest.raises(InvalidTransition, match="после начала смены"):
        attendance.registration_check_out(actor=coordinator, registration=registration)
    registration.refresh_from_db()
    assert registration.checked_out_at is None
    freeze_now(START + timedelta(hours=2))  # the real leaving is still possible
    entry = attendance.registration_check_out(actor=coordinator, registration=registration)
    assert entry.hours == Decimal("2")


def test_a_given_leaving_moment_before_the_start_is_refused_at_its_field(
    registration, coordinator, freeze_now
):
    freeze_now(START - timedelta(minutes=40))
    attendance.registration_check_in(actor=coordinator, registration=registration)
    freeze_now(START + timedelta(minutes=5))
    with pytest.raises(DomainError) as refused:
        attendance.registration_check_out(
            actor=coordinator, registration=registration, at=START - timedelta(minutes=1)
        )
    assert refused.value.field_errors == {"at": ["До начала смены."]}


def test_the_organiser_corrects_marks_and_the_pending_hours_follow(
    registration, organiser, freeze_now
):
    freeze_now(START)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(minutes=30))
    attendance.registration_check_out(actor=organiser, registration=registration)  # too early
    assert HoursEntry.objects.get().hours == Decimal("0.5")
    freeze_now(START + timedelta(days=1))  # the next day: the window has closed
    entry = attendance.registration_correct_marks(
        actor=organiser,
        registration=registration,
        checked_in_at=START,
        checked_out_at=START + timedelta(hours=2, minutes=45),
        reason="Нажали «уход» по ошибке",
    )
    assert entry.hours == Decimal("2.75")
    assert HoursEntry.objects.get().hours == Decimal("2.75")
    audit = AuditEntry.objects.get(action="registration.correct_marks")
    assert audit.data == {
        "from": [START.isoformat(), (START + timedelta(minutes=30)).isoformat()],
        "to": [START.isoformat(), (START + timedelta(hours=2, minutes=45)).isoformat()],
        "hours": "2.75",
        "reason": "Нажали «уход» по ошибке",
    }


def test_confirmed_hours_are_not_changed_by_a_correction(registration, organiser, freeze_now):
    freeze_now(START)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(hours=1))
    entry = attendance.registration_check_out(actor=organiser, registration=registration)
    hours.hours_confirm(actor=organiser, entry=entry)
    with pytest.raises(InvalidTransition, match="уже рассмотрены"):
        attendance.registration_correct_marks(
            actor=organiser,
            registration=registration,
            checked_in_at=START,
            checked_out_at=START + timedelta(hours=3),
            reason="x",
        )
    assert HoursEntry.objects.get().hours == Decimal("1")


@pytest.mark.parametrize(
    ("arrived", "left", "field"),
    [
        (START - timedelta(hours=3), None, "checked_in_at"),  # before the window
        (START, START - timedelta(minutes=5), "checked_out_at"),  # before the start
        (START + timedelta(hours=1), START + timedelta(minutes=30), "checked_out_at"),
        (START, START + timedelta(days=2), "checked_out_at"),  # still to come
    ],
)
def test_a_correction_is_refused_at_the_field(
    registration, organiser, freeze_now, arrived, left, field
):
    freeze_now(START)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(hours=4))
    with pytest.raises(DomainError) as refused:
        attendance.registration_correct_marks(
            actor=organiser,
            registration=registration,
            checked_in_at=arrived,
            checked_out_at=left,
            reason="x",
        )
    assert list(refused.value.field_errors) == [field]
    registration.refresh_from_db()
    assert (registration.checked_in_at, registration.checked_out_at) == (START, None)


def test_the_api_corrects_marks_for_the_organiser_only(
    registration, organiser, outsider, freeze_now, client
):
    freeze_now(START)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(hours=4))
    url = f"/api/v1/registrations/{registration.pk}/marks"
    body = {
        "checked_in_at": START.isoformat(),
        "checked_out_at": (START + timedelta(hours=3)).isoformat(),
        "reason": "Забыли отметить уход",
    }
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert bearer(outsider).post(url, body, content_type="application/json").status_code == 403
    response = bearer(organiser).post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["checked_out_at"].startswith("2026-12-12T07:00")
    assert HoursEntry.objects.get().hours == Decimal("3")
    early = {**body, "checked_out_at": (START - timedelta(minutes=1)).isoformat()}
    refused = bearer(organiser).post(url, early, content_type="application/json")
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["checked_out_at"]


def test_the_page_corrects_marks_and_the_check_in_page_links_it(
    registration, organiser, outsider, freeze_now, login_as, client
):
    freeze_now(START)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(START + timedelta(hours=4))
    url = f"/events/registrations/{registration.pk}/marks/"
    assert client.get(url).status_code == 302  # to the login page
    assert login_as(outsider).get(url).status_code == 403
    page = login_as(organiser)
    checkin = page.get(f"/events/{registration.shift.event_id}/checkin/").content.decode()
    assert f'href="{url}"' in checkin
    response = page.post(
        url,
        {
            "checked_in_at": "2026-12-12T11:00",
            "checked_out_at": "2026-12-12T13:30",
            "reason": "Забыли отметить уход",
        },
    )
    assert response.status_code == 302
    assert HoursEntry.objects.get().hours == Decimal("2.5")
    refused = page.post(
        url,
        {"checked_in_at": "2026-12-12T11:00", "checked_out_at": "2026-12-12T10:00", "reason": "x"},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["checked_out_at"] == ["До начала смены."]
