"""«Подходит мне» in the API: `GET /api/v1/me/recommendations` is the page
`/events/for-me/` — the same selector (`recommendations.suggestions`), so the same shifts
in the same order with the same reasons, for the caller's own profile only."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.clock import local_moment, local_today
from dobry.core.models import District
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/recommendations"


@pytest.fixture(autouse=True)
def _wednesday_morning(freeze_now):
    """Shifts 12–16 days ahead fall on Monday to Friday: free time adds no points."""
    freeze_now(local_moment(date(2026, 3, 11), time(10, 0)))


@pytest.fixture
def north():
    return District.objects.create(name="Северный", slug="north")


@pytest.fixture
def person(north):
    """Interested in ecology, at home in the north, free on Saturday mornings, a photographer;
    twenty years old."""
    user = volunteer(born=local_today().replace(year=local_today().year - 20))
    profile = VolunteerProfile.objects.get(user=user)
    profile.interests = ["ecology"]
    profile.skills = "фотограф, вожу машину"
    profile.availability = ["sat-morning"]
    profile.save()
    profile.districts.add(north)
    return user


def _ecology_shift(days, **kwargs):
    shift = ShiftFactory(starts_at=timezone.now() + timedelta(days=days), **kwargs)
    shift.event.area_links.create(area="ecology")
    return shift


@pytest.fixture
def shifts(north):
    """Four that suit in different degrees, and four that must never be offered."""
    best = _ecology_shift(12, event__district=north, tasks="нужен фотограф")
    near = _ecology_shift(13, event__district=north)
    only_area = _ecology_shift(14)
    only_district = ShiftFactory(
        starts_at=timezone.now() + timedelta(days=15), event__district=north
    )
    ShiftFactory(starts_at=timezone.now() + timedelta(days=16))  # nothing in common
    _ecology_shift(17, min_age=21)  # too young for it
    full = _ecology_shift(18, capacity=1)
    RegistrationFactory(shift=full)
    return best, near, only_area, only_district


def _page(client):
    return [
        (rec.shift.pk, rec.score, rec.reasons)
        for rec in client.get("/events/for-me/").context["recommendations"]
    ]


def _api(client):
    response = client.get(URL)
    assert response.status_code == 200, response.content
    return [
        (item["shift"]["id"], item["score"], item["reasons"]) for item in response.json()["items"]
    ]


def test_anonymous_callers_are_refused_with_a_401(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["message"].startswith("Нужна авторизация")


def test_the_api_gives_the_pages_shifts_in_the_pages_order_with_its_reasons(
    login_as, person, shifts
):
    best, near, only_area, only_district = shifts
    session = login_as(person)
    page = _page(session)
    assert [pk for pk, _score, _reasons in page] == [
        best.pk,
        near.pk,
        only_area.pk,
        only_district.pk,
    ]
    assert _api(session) == page
    assert _api(bearer(person)) == page


def test_an_item_names_the_shift_the_event_and_why(person, shifts):
    best = shifts[0]
    item = bearer(person).get(URL).json()["items"][0]
    assert item["shift"] | {"starts_at": None, "ends_at": None} == {
        "id": best.pk,
        "title": "Уборка",
        "tasks": "нужен фотограф",
        "starts_at": None,
        "ends_at": None,
        "free_places": 10,
        "min_age": None,
        "open_to_minors": False,
    }
    assert item["event"] == {
        "id": best.event_id,
        "title": best.event.title,
        "organization": str(best.event.organization),
        "district": "north",
        "areas": ["ecology"],
        "url": f"/events/{best.event_id}/",
    }
    assert item["score"] == 6
    assert item["reasons"] == [
        "совпадает с вашими интересами: Экология",
        "в удобном районе: Северный",
        "пригодятся ваши навыки: фотограф",
    ]


def test_reasons_follow_the_persons_stored_language_as_on_the_page(person, shifts):
    """The stored language wins over the request's header, for a token as for a session
    (issue 11)."""
    type(person).objects.filter(pk=person.pk).update(language="en")
    item = bearer(person).get(URL, HTTP_ACCEPT_LANGUAGE="ru").json()["items"][0]
    assert item["reasons"][0].startswith("matches your interests")
    type(person).objects.filter(pk=person.pk).update(language="ru")
    item = bearer(person).get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert item["reasons"][0].startswith("совпадает с вашими интересами")


def test_shifts_already_taken_by_the_caller_are_left_out_on_both(login_as, person, shifts):
    best = shifts[0]
    RegistrationFactory(shift=best, user=person)
    session = login_as(person)
    assert best.pk not in [pk for pk, _score, _reasons in _api(session)]
    assert _api(session) == _page(session)


def test_another_person_gets_their_own_profiles_matches_not_the_callers(shifts):
    stranger = volunteer()
    VolunteerProfile.objects.filter(user=stranger).update(interests=["animals"])
    assert bearer(stranger).get(URL).json() == {"items": [], "count": 0}


def test_without_a_profile_the_api_says_so_as_the_page_does(login_as, shifts):
    newcomer = UserFactory()
    assert bearer(newcomer).get(URL).json() == {"items": [], "count": 0}
    assert bearer(newcomer).get("/api/v1/me/volunteer-profile").json()["saved"] is False
    assert login_as(newcomer).get("/events/for-me/").context["has_profile"] is False
    assert not VolunteerProfile.objects.filter(user=newcomer).exists()  # reading made none


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_has_a_fixed_query_count(django_assert_max_num_queries, person, count):
    for day in range(count):
        _ecology_shift(10 + day)
    api = bearer(person)
    with django_assert_max_num_queries(6):
        page = api.get(URL).json()
    assert len(page["items"]) == page["count"] == min(count, 20)


def test_the_list_is_paged_as_every_list_of_the_api(person, shifts):
    api = bearer(person)
    whole = api.get(URL).json()
    assert set(whole) == {"items", "count"}
    assert whole["count"] == len(whole["items"]) == 4
    first = api.get(URL, {"page_size": 3}).json()
    second = api.get(URL, {"page_size": 3, "page": 2}).json()
    assert first["count"] == second["count"] == 4
    assert first["items"] + second["items"] == whole["items"]


def test_a_saved_profile_is_said_by_the_profile(person):
    assert bearer(person).get("/api/v1/me/volunteer-profile").json()["saved"] is True
