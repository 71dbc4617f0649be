"""The volunteer profile page reads without writing; saving goes through one service in
one transaction — a refused part (health needs without the written consent) keeps
nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry, District
from dobry.volunteering.models import VolunteerProfile
from dobry.volunteering.services import profiles as services

pytestmark = pytest.mark.django_db


def test_opening_the_profile_page_creates_nothing(login_as, resident):
    VolunteerProfile.objects.filter(user=resident).delete()
    client = login_as(resident)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/volunteer/profile/").status_code == 200
    writes = [
        q["sql"]
        for q in queries
        # PostgreSQL reads a choice list through a server-side cursor: DECLARE … FOR SELECT.
        if not q["sql"].lstrip().upper().startswith(("SELECT", "DECLARE"))
        and "session" not in q["sql"]
    ]
    assert writes == []
    assert not VolunteerProfile.objects.filter(user=resident).exists()


def test_the_service_saves_fields_districts_and_publication_and_logs(resident):
    district = District.objects.create(name="Первомайский", slug="pervomaisky")
    profile = services.volunteer_profile_update(
        user=resident,
        fields={"skills": "вожу машину", "interests": ["elderly"]},
        districts=[district],
        accessibility_needs="",
        public=True,
        public_consent=True,
        ip_address="10.0.0.1",
    )
    profile.refresh_from_db()
    assert (profile.skills, profile.interests, profile.public_profile) == (
        "вожу машину",
        ["elderly"],
        True,
    )
    assert list(profile.districts.all()) == [district]
    assert AuditEntry.objects.filter(action="volunteer_profile.update").count() == 1


def test_health_needs_without_the_written_consent_keep_nothing(resident):
    with pytest.raises(DomainError) as refused:
        services.volunteer_profile_update(
            user=resident,
            fields={"skills": "вожу машину"},
            districts=[],
            accessibility_needs="нужен пандус",
            public=False,
            ip_address=None,
        )
    assert list(refused.value.field_errors) == ["accessibility_needs"]
    assert not VolunteerProfile.objects.filter(user=resident, skills="вожу машину").exists()


def test_an_unknown_field_is_refused(resident):
    with pytest.raises(DomainError, match="Неизвестные поля"):
        services.volunteer_profile_update(
            user=resident,
            fields={"parental_consent_by": "я сам"},
            districts=[],
            accessibility_needs="",
            public=False,
            ip_address=None,
        )


def test_the_page_shows_a_refusal_at_its_field(login_as, resident):
    response = login_as(resident).post(
        "/volunteer/profile/", {"skills": "вожу машину", "accessibility_needs": "нужен пандус"}
    )
    assert response.status_code == 200
    assert "письменное согласие" in response.content.decode()
    assert not VolunteerProfile.objects.filter(user=resident, skills="вожу машину").exists()
