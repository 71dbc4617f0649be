"""A day has 24 hours: a person's hours on one city day, from every source (claims,
attendance, the paper list, help requests), never exceed them; the same claim (day,
organisation, area) is not taken twice. One service for the claim form and the API."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.events.services import attendance
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=city_zone())
DAY = date(2026, 11, 21)


@pytest.fixture
def person(freeze_now):
    freeze_now(NOW)
    return volunteer()


@pytest.fixture
def organization():
    return OrganizationFactory(short_name="Добрые руки")


def claim(person, organization, hours, *, day=DAY, area=""):
    return services.hours_claim(
        user=person,
        organization=organization,
        day=day,
        hours=hours,
        description="Разбирали гуманитарную помощь",
        area=area,
    )


def day_total(person, day=DAY):
    return services.day_hours(person, day)


def test_the_claim_form_takes_a_day_once(person, organization, login_as):
    # The tester's example: three claims of 24 h for 21 November.
    page = login_as(person)
    form = {
        "organization": organization.pk,
        "day": "2026-11-21",
        "hours": "24",
        "description": "Дежурство",
    }
    first = page.post("/volunteer/claim/", form)
    assert first.status_code == 302
    for _ in range(2):
        again = page.post("/volunteer/claim/", form)
        assert again.status_code == 200
        assert "Вы уже заявили часы за 21 ноября этой организации" in again.content.decode()
        assert "day" in again.context["form"].errors
    assert day_total(person) == Decimal("24")


def test_the_api_takes_a_day_once(person, organization):
    api = bearer(person)
    body = {
        "organization": organization.pk,
        "day": "2026-11-21",
        "hours": "24",
        "description": "Дежурство",
    }
    first = api.post("/api/v1/me/hours", body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["hours"] == "24.00"
    for _ in range(2):
        again = api.post("/api/v1/me/hours", body, content_type="application/json")
        assert again.status_code == 422
        assert "Вы уже заявили часы" in again.json()["errors"]["day"][0]
    assert day_total(person) == Decimal("24")


def test_the_api_claim_needs_a_verified_organisation_and_a_login(client, person):
    body = {"organization": 999999, "day": "2026-11-21", "hours": "2", "description": "Помощь"}
    assert client.post("/api/v1/me/hours", body, content_type="application/json").status_code in (
        401,
        403,
    )
    missing = bearer(person).post("/api/v1/me/hours", body, content_type="application/json")
    assert (
        missing.status_code == 422
    )  # at the field, as one not verified (test_claims_for_unverified)
    assert list(missing.json()["errors"]) == ["organization"]


def test_other_organisations_share_the_same_24_hours(person, organization):
    claim(person, organization, "20")
    other = OrganizationFactory()
    with pytest.raises(DomainError) as refused:
        claim(person, other, "5")
    assert "не больше 24 часов" in refused.value.field_errors["hours"][0]
    assert "можно добавить не больше 4" in refused.value.field_errors["hours"][0]
    claim(person, other, "4")
    assert day_total(person) == Decimal("24")


def test_another_area_of_the_same_organisation_is_another_claim(person, organization):
    claim(person, organization, "3", area="ecology")
    claim(person, organization, "2", area="social")
    with pytest.raises(DomainError, match="уже заявили"):
        claim(person, organization, "1", area="ecology")


def test_a_declined_claim_neither_counts_nor_blocks(person, organization, coordinator):
    entry = claim(person, organization, "24")
    services.hours_decline(actor=coordinator, entry=entry, reason="Не было такой смены")
    assert day_total(person) == Decimal("0")
    claim(person, organization, "6")
    assert day_total(person) == Decimal("6")


def test_attendance_and_claims_count_together(person, organization, freeze_now):
    start = datetime(2026, 11, 21, 10, tzinfo=city_zone())
    registration = RegistrationFactory(
        user=person, shift=ShiftFactory(starts_at=start, ends_at=start + timedelta(hours=3))
    )
    freeze_now(start)
    attendance.registration_check_in(actor=person, registration=registration)
    freeze_now(start + timedelta(hours=3))
    attendance.registration_check_out(actor=person, registration=registration)
    freeze_now(NOW)
    with pytest.raises(DomainError, match="можно добавить не больше 21"):
        claim(person, organization, "22")
    claim(person, organization, "21")
    assert day_total(person) == Decimal("24")


def test_attendance_on_a_full_day_credits_only_what_is_left(person, organization, freeze_now):
    claim(person, organization, "23")
    start = datetime(2026, 11, 21, 10, tzinfo=city_zone())
    first, second = (
        RegistrationFactory(
            user=person,
            shift=ShiftFactory(
                starts_at=start + timedelta(hours=4 * n),
                ends_at=start + timedelta(hours=4 * n + 3),
            ),
        )
        for n in range(2)
    )
    for registration in (first, second):
        freeze_now(registration.shift.starts_at)
        attendance.registration_check_in(actor=person, registration=registration)
        # checked out just after midnight: the whole day has passed, 1 h of it is left
        freeze_now(datetime(2026, 11, 22, 0, 30, tzinfo=city_zone()))
        entry = attendance.registration_check_out(actor=person, registration=registration)
    assert HoursEntry.objects.get(registration=first).hours == Decimal("1.00")
    assert entry is None  # the day is full: the check-out is kept, no hours
    second.refresh_from_db()
    assert second.checked_out_at is not None
    assert day_total(person) == Decimal("24")


def test_adjusting_hours_up_cannot_pass_the_day(person, organization, resident):
    MembershipFactory(user=resident, organization=organization, role=Membership.Role.EDITOR)
    entry = claim(person, organization, "10")
    claim(person, OrganizationFactory(), "10")
    with pytest.raises(DomainError, match="не больше 24 часов"):
        services.hours_confirm(actor=resident, entry=entry, hours="15", reason="Дольше")
    confirmed = services.hours_confirm(actor=resident, entry=entry, hours="14", reason="Дольше")
    assert confirmed.hours == Decimal("14.00")
