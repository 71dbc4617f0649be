from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.events.tests.factories import RegistrationFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile
from dobry.volunteering.services.hours import hours_record

pytestmark = pytest.mark.django_db


def entry_for(user, organization, hours="3", status=HoursEntry.Status.PENDING, day=None):
    entry = hours_record(
        user=user,
        organization=organization,
        # yesterday: all its 24 hours have passed, whatever the time of the test
        day=day or timezone.localdate() - timedelta(days=1),
        hours=Decimal(hours),
        source="claim",
        area="elderly",
        description="Помощь",
    )
    HoursEntry.objects.filter(pk=entry.pk).update(status=status)
    return entry


def test_pages_need_login(client):
    for url in ("/volunteer/profile/", "/volunteer/book/", "/volunteer/claim/"):
        assert client.get(url).status_code == 302, url


def test_profile_saves_birth_date_interests_and_availability(login_as, resident):
    client = login_as(resident)
    response = client.post(
        "/volunteer/profile/",
        {
            "date_of_birth": "1985-03-01",
            "interests": ["elderly", "ecology"],
            "availability": ["sat-morning"],
            "skills": "вожу машину",
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=resident)
    assert profile.date_of_birth == date(1985, 3, 1)
    assert profile.interests == ["elderly", "ecology"]
    assert profile.availability == ["sat-morning"]


def test_a_birth_date_in_the_future_is_refused(login_as, resident):
    response = login_as(resident).post("/volunteer/profile/", {"date_of_birth": "2099-01-01"})
    assert "Проверьте дату рождения" in response.content.decode()


def test_record_book_shows_totals_badges_and_only_my_entries(login_as):
    person, other = volunteer(), volunteer()
    organization = OrganizationFactory(short_name="АРГО")
    for _ in range(4):
        entry_for(person, organization, hours="3", status=HoursEntry.Status.CONFIRMED)
    entry_for(person, organization, hours="5")  # pending, not counted
    entry_for(other, organization, hours="9", status=HoursEntry.Status.CONFIRMED)
    body = login_as(person).get("/volunteer/book/").content.decode()
    assert "Подтверждено часов: <strong>12</strong>" in body
    assert "10 часов" in body
    assert "АРГО: 12" in body


@pytest.mark.parametrize("count", [1, 30])
def test_record_book_has_a_fixed_query_count(login_as, django_assert_max_num_queries, count):
    person = volunteer()
    organization = OrganizationFactory()
    for n in range(count):  # a day holds at most 24 hours: one entry a day
        day = timezone.localdate() - timedelta(days=n + 1)  # past days: all their hours passed
        entry_for(person, organization, status=HoursEntry.Status.CONFIRMED, day=day)
    client = login_as(person)
    with django_assert_max_num_queries(10):
        assert client.get("/volunteer/book/").status_code == 200


def test_claim_goes_to_the_organisation(login_as):
    person = volunteer()
    organization = OrganizationFactory()
    client = login_as(person)
    bad = client.post(
        "/volunteer/claim/",
        {"organization": organization.pk, "day": "2099-01-01", "hours": "2", "description": "x"},
    )
    assert "будущем" in bad.content.decode()
    client.post(
        "/volunteer/claim/",
        {
            "organization": organization.pk,
            "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "hours": "2",
            "description": "Разгрузка",
        },
    )
    assert HoursEntry.objects.get().source == HoursEntry.Source.CLAIM


def test_only_organisation_editors_decide_hours(login_as, resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    registration = RegistrationFactory(shift__event__organization=organization)
    entry = entry_for(registration.user, organization)
    url = f"/volunteer/organizations/{organization.pk}/hours/"
    assert login_as(outsider).get(url).status_code == 403
    assert (
        login_as(outsider)
        .post(f"/volunteer/hours/{entry.pk}/decide/", {"decision": "confirm"})
        .status_code
        == 403
    )
    assert registration.user.display_name in login_as(resident).get(url).content.decode()
    login_as(resident).post(
        f"/volunteer/hours/{entry.pk}/decide/",
        {"decision": "confirm", "hours": "2.5", "reason": "Ушёл раньше", "thanks": "Спасибо!"},
    )
    entry.refresh_from_db()
    assert (entry.status, entry.hours, entry.thanks) == (
        HoursEntry.Status.CONFIRMED,
        Decimal("2.50"),
        "Спасибо!",
    )


def test_declining_needs_a_reason(login_as, resident):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    entry = entry_for(volunteer(), organization)
    response = login_as(resident).post(
        f"/volunteer/hours/{entry.pk}/decide/", {"decision": "decline"}, follow=True
    )
    assert "Объясните причину" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING


@pytest.mark.parametrize("count", [1, 25])
def test_hours_queue_has_a_fixed_query_count(
    login_as, resident, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    for _ in range(count):
        entry_for(volunteer(), organization)
    client = login_as(resident)
    with django_assert_max_num_queries(8):
        assert client.get(f"/volunteer/organizations/{organization.pk}/hours/").status_code == 200


def test_only_coordinators_record_a_parents_consent(client, login_as, coordinator, resident):
    teen = volunteer(email="teen@example.org")
    url = "/volunteer/parental-consent/"
    assert client.get(url).status_code == 302
    assert login_as(resident).get(url).status_code == 403
    client = login_as(coordinator)
    missing = client.post(
        url, {"email": "nobody@example.org", "parent_name": "Иванова М. П.", "received": "on"}
    )
    assert "Нет волонтёра" in missing.content.decode()
    unticked = client.post(url, {"email": teen.email, "parent_name": "Иванова М. П."})
    assert unticked.status_code == 200
    client.post(
        url, {"email": teen.email, "parent_name": "Иванова Мария Петровна", "received": "on"}
    )
    profile = VolunteerProfile.objects.get(user=teen)
    assert profile.has_parental_consent
    assert profile.parental_consent_recorded_by == coordinator


def test_a_public_profile_needs_its_own_consent_and_can_be_withdrawn(client, login_as):
    from dobry.accounts.models import ConsentRecord

    person = volunteer(first_name="Мария", last_name="Добрая")
    url = f"/volunteer/people/{person.pk}/"
    assert client.get(url).status_code == 404
    owner = login_as(person)
    owner.post(
        "/volunteer/profile/",
        {"date_of_birth": "1990-05-17", "public_profile": "on"},
        REMOTE_ADDR="10.1.1.1",
    )
    record = ConsentRecord.objects.get(user=person, document__kind="public_profile")
    assert record.ip_address == "10.1.1.1"
    page = client.get(url).content.decode()
    assert "Мария Д." in page
    assert "Добрая" not in page
    assert "1990" not in page
    owner.post("/volunteer/profile/", {"date_of_birth": "1990-05-17"})
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert client.get(url).status_code == 404


def test_hour_totals_leave_out_hours_dated_ahead(login_as, client, freeze_now):
    """Hours dated after today (imported, or from before the services refused them) are
    not counted: record book, year summary and the API's totals alike."""
    from datetime import datetime

    from dobry.core.clock import city_zone

    freeze_now(datetime(2026, 12, 15, 12, tzinfo=city_zone()))
    person = volunteer()
    organization = OrganizationFactory(short_name="АРГО")
    entry_for(person, organization, hours="3", status=HoursEntry.Status.CONFIRMED)
    HoursEntry.objects.create(
        user=person,
        organization=organization,
        date=date(2026, 12, 20),
        hours=Decimal(8),
        claimed_hours=Decimal(8),
        source=HoursEntry.Source.CLAIM,
        status=HoursEntry.Status.CONFIRMED,
    )
    book = login_as(person).get("/volunteer/book/").content.decode()
    assert "Подтверждено часов: <strong>3</strong>" in book
    summary = login_as(person).get("/volunteer/book/2026/").content.decode()
    assert "В 2026 году вы помогали городу 3 ч." in summary
    assert login_as(person).get("/api/v1/me/hours/summary").json()["confirmed_total"] in (
        "3",
        "3.00",
    )
