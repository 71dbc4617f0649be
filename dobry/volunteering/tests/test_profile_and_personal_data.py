"""The volunteer profile page, a parent's consent, publishing the profile, and what the
app exports, erases and scrubs of a person's data."""

from datetime import date
from decimal import Decimal

import pytest

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry, District
from dobry.events.tests.factories import volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import (
    HoursEntry,
    Qualification,
    VolunteerProfile,
    VolunteerQualification,
)
from dobry.volunteering.services import profiles as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return volunteer(first_name="Вера", last_name="Волонтёрова")


def test_the_profile_page_keeps_districts_languages_and_the_weekly_digest(login_as, person):
    north = District.objects.create(name="Северный", slug="north")
    response = login_as(person).post(
        "/volunteer/profile/",
        {
            "date_of_birth": "1990-05-17",
            "districts": [north.pk],
            "languages": "русский, жестовый",
            "weekly_digest": "on",
            "emergency_contact": "Мама, +7 900 000-00-00",
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=person)
    assert list(profile.districts.all()) == [north]
    assert (profile.languages, profile.weekly_digest, profile.emergency_contact) == (
        "русский, жестовый",
        True,
        "Мама, +7 900 000-00-00",
    )
    assert AuditEntry.objects.filter(action="volunteer_profile.update", actor=person).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("availability", "mon-night"), ("interests", "astrology"), ("districts", "987654")],
)
def test_an_unknown_choice_is_a_form_error_and_nothing_is_saved(login_as, person, field, value):
    response = login_as(person).post(
        "/volunteer/profile/", {"date_of_birth": "1985-01-01", field: [value]}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert VolunteerProfile.objects.get(user=person).date_of_birth == date(1990, 5, 17)


def test_a_birth_date_more_than_110_years_ago_is_refused(login_as, person):
    response = login_as(person).post("/volunteer/profile/", {"date_of_birth": "1900-01-01"})
    assert "Проверьте дату рождения." in response.content.decode()


def test_the_profile_page_returns_to_a_local_next_only(login_as, person):
    client = login_as(person)
    data = {"date_of_birth": "1990-05-17"}
    local = client.post("/volunteer/profile/?next=/events/for-me/", data)
    assert local["Location"] == "/events/for-me/"
    hostile = client.post("/volunteer/profile/?next=https://evil.example/", data)
    assert hostile["Location"] == "/volunteer/profile/"


# --- publishing the profile ------------------------------------------------------------


def test_publishing_takes_the_consent_once_and_hiding_withdraws_it(person):
    services.public_profile_set(user=person, public=True, ip_address="10.0.0.1", consent=True)
    services.public_profile_set(user=person, public=True, ip_address="10.0.0.2")
    records = ConsentRecord.objects.filter(user=person, document__kind="public_profile")
    assert records.count() == 1
    assert records.get().ip_address == "10.0.0.1"
    services.public_profile_set(user=person, public=False, ip_address=None)
    assert records.get().withdrawn_at is not None
    assert VolunteerProfile.objects.get(user=person).public_profile is False
    logged = AuditEntry.objects.filter(action="volunteer_profile.public").order_by("pk")
    assert [entry.data for entry in logged] == [{"public": True}, {"public": False}]


# --- a parent's consent ----------------------------------------------------------------


def test_a_parents_consent_needs_the_parents_name(coordinator, person):
    with pytest.raises(DomainError) as refused:
        services.parental_consent_record(actor=coordinator, volunteer=person, parent_name="   ")
    assert refused.value.field_errors == {"parent_name": ["Обязательное поле."]}
    assert not VolunteerProfile.objects.get(user=person).has_parental_consent


def test_a_parents_consent_is_recorded_with_who_and_when(coordinator, person, freeze_now):
    from datetime import time

    from dobry.core.clock import local_moment

    moment = local_moment(date(2026, 4, 1), time(0, 30))
    freeze_now(moment)
    profile = services.parental_consent_record(
        actor=coordinator, volunteer=person, parent_name="  Волонтёрова Анна Ивановна "
    )
    assert (profile.parental_consent_by, profile.parental_consent_at) == (
        "Волонтёрова Анна Ивановна",
        moment,
    )
    assert profile.parental_consent_recorded_by == coordinator
    logged = AuditEntry.objects.get(action="parental_consent.record")
    assert logged.data == {"parent": "Волонтёрова Анна Ивановна"}


def test_the_consent_page_finds_the_volunteer_by_email_in_any_case(login_as, coordinator):
    teen = volunteer(email="Teen@Example.org", born=date(2010, 1, 1))
    response = login_as(coordinator).post(
        "/volunteer/parental-consent/",
        {"email": "teen@example.ORG", "parent_name": "Иванова М. П.", "received": "on"},
        follow=True,
    )
    assert f"Согласие родителя записано для {teen.display_name}." in response.content.decode()
    assert VolunteerProfile.objects.get(user=teen).has_parental_consent


def test_the_consent_page_does_not_find_a_deactivated_account(login_as, coordinator):
    gone = volunteer(email="gone@example.org", is_active=False)
    response = login_as(coordinator).post(
        "/volunteer/parental-consent/",
        {"email": "gone@example.org", "parent_name": "Иванова М. П.", "received": "on"},
    )
    assert "Нет волонтёра с таким адресом." in response.content.decode()
    assert not VolunteerProfile.objects.get(user=gone).has_parental_consent


# --- personal data ---------------------------------------------------------------------


@pytest.fixture
def full_profile(person):
    north = District.objects.create(name="Северный", slug="north")
    profile = VolunteerProfile.objects.get(user=person)
    profile.skills = "фотограф"
    profile.interests = ["ecology"]
    profile.availability = ["sat-morning"]
    profile.emergency_contact = "Мама, +7 900 111-22-33"
    profile.parental_consent_by = "Волонтёрова Анна"
    profile.save()
    profile.districts.add(north)
    book = Qualification.objects.create(name="Медицинская книжка", slug="medbook")
    VolunteerQualification.objects.create(
        user=person, qualification=book, valid_until=date(2027, 1, 31)
    )
    HoursEntry.objects.create(
        user=person,
        organization=OrganizationFactory(short_name="АРГО"),
        date=date(2025, 5, 1),
        hours=Decimal("3"),
        claimed_hours=Decimal("3"),
        source="claim",
        status="confirmed",
        description="Снимал праздник, звонила Мама, +7 900 111-22-33",
        thanks="Спасибо, Вера!",
    )
    return person


def test_the_export_holds_the_profile_qualifications_and_hours(full_profile):
    data = personal_data.export_sections(full_profile)["volunteering"]
    assert data["profile"]["districts"] == ["Северный"]
    assert data["profile"]["emergency_contact"] == "Мама, +7 900 111-22-33"
    assert data["profile"]["availability"] == ["sat-morning"]
    assert data["qualifications"] == [{"name": "Медицинская книжка", "valid_until": "2027-01-31"}]
    assert data["hours"] == [
        {
            "date": "2025-05-01",
            "organization": "АРГО",
            "hours": "3.00",
            "status": "confirmed",
            "description": "Снимал праздник, звонила Мама, +7 900 111-22-33",
            "reason": "",
            "thanks": "Спасибо, Вера!",
        }
    ]


def test_the_export_of_someone_without_a_profile_says_so():
    from dobry.accounts.tests.factories import UserFactory

    data = personal_data.export_sections(UserFactory())["volunteering"]
    assert (data["profile"], data["qualifications"], data["hours"]) == (None, [], [])


def test_the_traces_are_the_emergency_contact_and_the_parents_name(full_profile):
    traces = personal_data.traces_of(full_profile)
    assert {"Мама, +7 900 111-22-33", "Волонтёрова Анна"} <= set(traces.values)


def test_erasing_the_account_scrubs_its_traces_from_other_peoples_hours(full_profile):
    from dobry.accounts.services import user_erase

    other = HoursEntry.objects.create(
        user=volunteer(),
        organization=OrganizationFactory(),
        date=date(2025, 5, 1),
        hours=Decimal("2"),
        claimed_hours=Decimal("2"),
        source="claim",
        status="declined",
        reason="Подменяла Волонтёрова Анна, а не вы",
    )
    user_erase(user=full_profile, actor=None)
    other.refresh_from_db()
    assert "Волонтёрова Анна" not in other.reason
    assert other.reason.startswith("Подменяла ")


def test_erasure_keeps_the_hours_without_the_persons_words(full_profile):
    personal_data.erase_sections(full_profile)
    assert not VolunteerProfile.objects.filter(user=full_profile).exists()
    assert not VolunteerQualification.objects.filter(user=full_profile).exists()
    entry = HoursEntry.objects.get(user=full_profile)
    assert (entry.hours, entry.status, entry.description, entry.thanks) == (
        Decimal("3.00"),
        "confirmed",
        "",
        "",
    )


def test_withdrawing_the_health_consent_erases_the_needs_and_logs_it(person):
    VolunteerProfile.objects.filter(user=person).update(accessibility_needs="Нужен пандус")
    personal_data.erase_for_withdrawn_consent(person, ConsentDocument.Kind.VOLUNTEER_HEALTH)
    assert VolunteerProfile.objects.get(user=person).accessibility_needs is None
    assert AuditEntry.objects.filter(
        action="volunteer_profile.accessibility_erase", actor=person
    ).exists()


def test_withdrawing_the_health_consent_without_needs_logs_nothing(person):
    personal_data.erase_for_withdrawn_consent(person, ConsentDocument.Kind.VOLUNTEER_HEALTH)
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_erase").exists()
