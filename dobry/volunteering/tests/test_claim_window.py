"""Hours are claimed within a window (issue 11): not for a day still to come on the city's
clock, and not before 1 January of the previous year — claims back to 1990 were accepted and
confirmable. The page, the API and confirmation keep the same rule."""

from datetime import date, time, timedelta

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import local_moment
from dobry.core.errors import DomainError
from dobry.events.tests.factories import volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _half_past_midnight(freeze_now):
    freeze_now(local_moment(TODAY, time(0, 30)))


@pytest.fixture
def organization():
    return OrganizationFactory()


def claim(user, organization, day):
    return services.hours_claim(
        user=user, organization=organization, day=day, hours="3", description="Склад"
    )


def test_the_earliest_day_is_the_first_of_january_of_the_previous_year():
    assert services.claim_earliest_day() == date(2025, 1, 1)
    assert services.claim_earliest_day(date(2027, 12, 31)) == date(2026, 1, 1)


@pytest.mark.parametrize("day", [date(1990, 1, 1), date(2024, 12, 31)])
def test_a_claim_before_the_window_is_refused_at_the_day(organization, day):
    with pytest.raises(DomainError) as refused:
        claim(volunteer(), organization, day)
    assert refused.value.field_errors == {"day": ["Дата должна быть не раньше 01.01.2025."]}
    assert not HoursEntry.objects.exists()


def test_a_claim_on_the_first_day_of_the_window_is_accepted(organization):
    assert claim(volunteer(), organization, date(2025, 1, 1)).date == date(2025, 1, 1)


def test_the_api_refuses_a_claim_back_to_1990_with_a_422_at_day(organization):
    response = bearer(volunteer()).post(
        "/api/v1/me/hours",
        {"organization": organization.pk, "day": "1990-05-01", "hours": "2", "description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"day": ["Дата должна быть не раньше 01.01.2025."]}


def test_an_old_claim_stored_before_the_rule_cannot_be_confirmed(organization):
    editor = volunteer()
    MembershipFactory(organization=organization, user=editor, role=Membership.Role.EDITOR)
    entry = claim(volunteer(), organization, TODAY - timedelta(days=1))
    HoursEntry.objects.filter(pk=entry.pk).update(date=date(1990, 5, 1))
    entry.refresh_from_db()
    with pytest.raises(DomainError, match="не раньше 1 января 2025"):
        services.hours_confirm(actor=editor, entry=entry)
    assert HoursEntry.objects.get().status == HoursEntry.Status.PENDING
