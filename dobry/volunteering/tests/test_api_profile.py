"""The volunteer profile in the API: `GET/PATCH /api/v1/me/volunteer-profile` are the page
`/volunteer/profile/` — the same selector (`profile_of`, reading never creates) and the same
service (`volunteer_profile_update`, one transaction, a refusal keeps nothing)."""

import json
from datetime import date

import pytest
from django.test import Client

from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.accounts.tests.factories import UserFactory, bearer, written_consent
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry, District
from dobry.events.tests.factories import volunteer
from dobry.volunteering.forms import AVAILABILITY_CHOICES
from dobry.volunteering.models import AVAILABILITY_SLOTS, VolunteerProfile

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/volunteer-profile"
JSON = "application/json"
BLANK = {
    "saved": False,
    "date_of_birth": None,
    "skills": "",
    "interests": [],
    "districts": [],
    "availability": [],
    "languages": "",
    "woman": False,
    "emergency_contact": "",
    "public_profile": False,
    "weekly_digest": False,
    "has_parental_consent": False,
}


@pytest.fixture
def north():
    return District.objects.create(name="Северный", slug="north")


@pytest.fixture
def person(north):
    user = volunteer(first_name="Вера", last_name="Волонтёрова")
    profile = VolunteerProfile.objects.get(user=user)
    profile.skills = "вожу машину"
    profile.interests = ["ecology"]
    profile.availability = ["sat-morning"]
    profile.languages = "русский"
    profile.save()
    profile.districts.add(north)
    return user


def patch(client, body):
    return client.patch(URL, json.dumps(body), content_type=JSON)


def _stored(user):
    profile = VolunteerProfile.objects.get(user=user)
    return {
        "date_of_birth": profile.date_of_birth,
        "skills": profile.skills,
        "interests": profile.interests,
        "districts": sorted(d.slug for d in profile.districts.all()),
        "availability": profile.availability,
        "languages": profile.languages,
        "woman": profile.woman,
        "emergency_contact": profile.emergency_contact,
        "accessibility_needs": profile.accessibility_needs or "",
        "public_profile": profile.public_profile,
        "weekly_digest": profile.weekly_digest,
    }


def test_the_slots_of_the_page_are_the_slots_the_service_and_the_api_know():
    assert [value for value, _label in AVAILABILITY_CHOICES] == list(AVAILABILITY_SLOTS)


def test_anonymous_callers_get_a_401_and_nothing_is_made(client):
    assert client.get(URL).status_code == 401
    assert patch(client, {"skills": "фотограф"}).status_code == 401
    assert not VolunteerProfile.objects.exists()


def test_a_session_patch_without_csrf_is_refused(person):
    session = Client(enforce_csrf_checks=True)
    session.force_login(person)
    assert patch(session, {"skills": "фотограф"}).status_code == 403
    assert _stored(person)["skills"] == "вожу машину"


def test_a_newcomer_reads_a_blank_profile_and_reading_creates_none(login_as):
    newcomer = UserFactory()
    assert bearer(newcomer).get(URL).json() == BLANK
    assert login_as(newcomer).get("/volunteer/profile/").status_code == 200
    assert not VolunteerProfile.objects.filter(user=newcomer).exists()


def test_the_api_reads_what_the_page_shows(login_as, person):
    form = login_as(person).get("/volunteer/profile/").context["form"]
    data = bearer(person).get(URL).json()
    assert data == BLANK | {
        "saved": True,
        "date_of_birth": "1990-05-17",
        "skills": "вожу машину",
        "interests": ["ecology"],
        "districts": ["north"],
        "availability": ["sat-morning"],
        "languages": "русский",
    }
    assert form.initial["skills"] == data["skills"]
    assert form.initial["interests"] == data["interests"]
    assert [d.slug for d in form.initial["districts"]] == data["districts"]


def test_a_patch_changes_only_what_it_sends(person):
    response = patch(bearer(person), {"skills": "фотограф", "weekly_digest": True})
    assert response.status_code == 200, response.content
    assert response.json()["skills"] == "фотограф"
    assert _stored(person) | {"skills": None, "weekly_digest": None} == {
        "date_of_birth": date(1990, 5, 17),
        "skills": None,
        "interests": ["ecology"],
        "districts": ["north"],
        "availability": ["sat-morning"],
        "languages": "русский",
        "woman": False,
        "emergency_contact": "",
        "accessibility_needs": "",
        "public_profile": False,
        "weekly_digest": None,
    }
    assert _stored(person)["weekly_digest"] is True
    entry = AuditEntry.objects.filter(action="volunteer_profile.update").get()
    assert entry.data == {"fields": ["skills", "weekly_digest"]}


def test_the_page_and_the_api_save_the_same_profile(login_as, north):
    by_page, by_api = volunteer(), volunteer()
    south = District.objects.create(name="Южный", slug="south")
    login_as(by_page).post(
        "/volunteer/profile/",
        {
            "date_of_birth": "1985-03-01",
            "skills": "фотограф",
            "interests": ["elderly", "ecology"],
            "districts": [south.pk, north.pk],
            "availability": ["sat-morning", "sun-day"],
            "languages": "русский, английский",
            "woman": "on",
            "emergency_contact": "Мама, +7 900 000-00-00",
            "weekly_digest": "on",
        },
    )
    response = patch(
        bearer(by_api),
        {
            "date_of_birth": "1985-03-01",
            "skills": "фотограф",
            "interests": ["elderly", "ecology"],
            "districts": ["south", "north"],
            "availability": ["sat-morning", "sun-day"],
            "languages": "русский, английский",
            "woman": True,
            "emergency_contact": "Мама, +7 900 000-00-00",
            "accessibility_needs": "",
            "public_profile": False,
            "weekly_digest": True,
        },
    )
    assert response.status_code == 200, response.content
    assert _stored(by_api) == _stored(by_page)
    assert _stored(by_api)["interests"] == ["elderly", "ecology"]


def test_a_patch_leaves_other_peoples_profiles_alone(person):
    other = volunteer()
    patch(bearer(other), {"skills": "фотограф", "districts": []})
    assert _stored(person)["skills"] == "вожу машину"
    assert _stored(person)["districts"] == ["north"]


def test_districts_are_replaced_and_repeats_kept_once(person, north):
    District.objects.create(name="Южный", slug="south")
    response = patch(bearer(person), {"districts": ["south", "north", "south"]})
    assert response.status_code == 200, response.content
    assert sorted(response.json()["districts"]) == ["north", "south"]
    assert patch(bearer(person), {"districts": []}).json()["districts"] == []


def test_repeated_interests_and_cells_are_kept_once(person):
    body = {"interests": ["animals", "animals"], "availability": ["mon-day", "mon-day"]}
    data = patch(bearer(person), body).json()
    assert (data["interests"], data["availability"]) == (["animals"], ["mon-day"])


def test_the_date_of_birth_may_be_cleared(person):
    assert patch(bearer(person), {"date_of_birth": None}).json()["date_of_birth"] is None


def test_publishing_gives_the_consent_and_hiding_withdraws_it(person):
    api = bearer(person)
    body = {"public_profile": True, "consent_to_publication": True}
    assert patch(api, body).json()["public_profile"] is True
    consents = ConsentRecord.objects.filter(
        user=person, document__kind=ConsentDocument.Kind.PUBLIC_PROFILE
    )
    assert consents.active().count() == 1
    assert patch(api, {"public_profile": False}).json()["public_profile"] is False
    assert consents.active().count() == 0


def test_health_needs_are_kept_under_the_written_consent(person):
    written_consent(person, ConsentDocument.Kind.VOLUNTEER_HEALTH)
    response = patch(bearer(person), {"accessibility_needs": "нужен пандус"})
    assert response.status_code == 200, response.content
    assert "нужен пандус" not in response.content.decode()  # not echoed: a read
    assert _stored(person)["accessibility_needs"] == "нужен пандус"


# --- health needs: read only through their own audited operation (issue 12 §6) ---------

NEEDS = f"{URL}/accessibility-needs"


@pytest.fixture
def needy(person):
    written_consent(person, ConsentDocument.Kind.VOLUNTEER_HEALTH)
    VolunteerProfile.objects.filter(user=person).update(accessibility_needs="нужен пандус")
    return person


def _reads(person):
    return AuditEntry.objects.filter(
        action="volunteer_profile.accessibility_read_own", actor=person
    )


def test_the_profile_answers_no_health_needs_and_writes_no_entry(login_as, needy):
    for client in (bearer(needy), login_as(needy)):
        response = client.get(URL)
        assert response.status_code == 200
        assert "accessibility_needs" not in response.json()
        assert "пандус" not in response.content.decode()
    assert not _reads(needy).exists()


def test_the_person_reads_their_own_needs_by_token_or_session_unaudited(login_as, needy):
    """Reading one's own data is no access by anyone else (issue 11 §3): no audit entry,
    whether by a personal token or the browser's session — as on the profile page."""
    for client in (bearer(needy), login_as(needy)):
        response = client.get(NEEDS)
        assert response.status_code == 200
        assert response.json() == {"accessibility_needs": "нужен пандус"}
    assert not _reads(needy).exists()
    assert not AuditEntry.objects.filter(
        actor=needy, action__startswith="volunteer_profile"
    ).exists()


def test_the_owner_at_their_own_page_reads_them_unaudited(login_as, needy):
    page = login_as(needy).get("/volunteer/profile/")
    assert page.context["form"]["accessibility_needs"].initial == "нужен пандус"
    assert not _reads(needy).exists()


def test_no_needs_no_entry_and_anonymous_callers_get_a_401(client, person):
    assert bearer(person).get(NEEDS).json() == {"accessibility_needs": ""}
    assert bearer(UserFactory()).get(NEEDS).json() == {"accessibility_needs": ""}
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read_own").exists()
    assert client.get(NEEDS).status_code == 401


def test_a_person_reads_only_their_own_needs(needy):
    other = volunteer()
    assert bearer(other).get(NEEDS).json() == {"accessibility_needs": ""}
    assert not _reads(other).exists()


def _born(years_ago):
    today = local_today()
    return today.replace(year=today.year - years_ago).isoformat()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date_of_birth": "2099-01-01"}, "date_of_birth"),
        ({"date_of_birth": _born(-1)}, "date_of_birth"),
        ({"date_of_birth": "1900-01-01"}, "date_of_birth"),
        ({"date_of_birth": "0001-01-01"}, "date_of_birth"),
        ({"date_of_birth": "٢٠٠٠-01-01"}, "date_of_birth"),
        ({"interests": ["astrology"]}, "interests.0"),
        ({"availability": ["mon-night"]}, "availability.0"),
        ({"districts": ["atlantis"]}, "districts"),
        ({"districts": ["x" * 200]}, "districts.0"),
        ({"skills": None}, "skills"),
        ({"skills": "x" * 2001}, "skills"),
        ({"languages": "x" * 201}, "languages"),
        ({"emergency_contact": "x" * 201}, "emergency_contact"),
        ({"accessibility_needs": "нужен пандус"}, "accessibility_needs"),
        ({"woman": "может быть"}, "woman"),
        ({"interests": "ecology"}, "interests"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(person, body, field):
    before = _stored(person)
    response = patch(bearer(person), {"skills": "фотограф", "woman": True, **body})
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert _stored(person) == before
    assert not AuditEntry.objects.filter(action__startswith="volunteer_profile").exists()


def test_the_page_refuses_the_same_birth_date_as_the_api(login_as, person):
    response = login_as(person).post("/volunteer/profile/", {"date_of_birth": _born(111)})
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == ["Проверьте дату рождения."]
    api = patch(bearer(person), {"date_of_birth": _born(111)})
    assert api.json()["errors"]["date_of_birth"] == ["Проверьте дату рождения."]
    assert patch(bearer(person), {"date_of_birth": _born(109)}).status_code == 200


# --- publication needs an explicit consent, and a parent's for a minor (issue 11 §4) ---------


def test_publishing_without_the_consent_flag_records_nothing(person):
    refused = patch(bearer(person), {"public_profile": True})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "consent_to_publication": ["Чтобы открыть профиль, дайте согласие на публикацию."]
    }
    assert not ConsentRecord.objects.filter(
        user=person, document__kind=ConsentDocument.Kind.PUBLIC_PROFILE
    ).exists()
    assert VolunteerProfile.objects.get(user=person).public_profile is False


def test_a_17_year_old_publishes_only_with_a_parents_consent(person, coordinator):
    from dobry.volunteering.services.profiles import parental_consent_record

    body = {"date_of_birth": _born(17), "public_profile": True, "consent_to_publication": True}
    refused = patch(bearer(person), body)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["public_profile"]
    assert "согласия родителя" in refused.json()["errors"]["public_profile"][0]
    assert not ConsentRecord.objects.filter(
        user=person, document__kind=ConsentDocument.Kind.PUBLIC_PROFILE
    ).exists()
    assert VolunteerProfile.objects.get(user=person).date_of_birth != date.fromisoformat(_born(17))
    patch(bearer(person), {"date_of_birth": _born(17)})
    parental_consent_record(actor=coordinator, volunteer=person, parent_name="Иванова Мария")
    assert patch(bearer(person), body).json()["public_profile"] is True


def test_the_page_refuses_a_minor_too(person, login_as):
    client = login_as(person)
    page = client.post("/volunteer/profile/", {"date_of_birth": _born(17), "public_profile": "on"})
    assert page.status_code == 200
    assert "согласия родителя" in page.content.decode()
    assert VolunteerProfile.objects.get(user=person).public_profile is False
