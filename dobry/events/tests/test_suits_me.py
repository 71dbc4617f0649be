"""One «Подходит мне» (issue 12 §1–2): the event list's tick (`/events/?suits_me=on`,
`GET /api/v1/events?suits_me=true`) ignored age and skills, while the for-me ranking
(`/events/for-me/`, `GET /api/v1/me/recommendations`) used them — and listed almost any
shift of the coming week for its «уже на этой неделе» bonus alone. Both now read
`events.suitability`: a shift suits when the person may take it by age and qualifications
and at least one thing of their profile matches; soon-ness only orders what suits."""

from datetime import date, time, timedelta

import pytest

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.clock import local_moment
from dobry.core.models import District
from dobry.events.models import Event, Shift
from dobry.events.suitability import reasons, suiting_shifts, wishes_for
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.volunteering.models import Qualification, VolunteerProfile, VolunteerQualification

pytestmark = pytest.mark.django_db
# A Wednesday morning in the city; 2026-03-14 is a Saturday.
NOW = local_moment(date(2026, 3, 11), time(10, 0))
SATURDAY = date(2026, 3, 14)


@pytest.fixture(autouse=True)
def _wednesday(freeze_now):
    freeze_now(NOW)


@pytest.fixture
def north():
    return District.objects.create(name="Северный", slug="north")


def person(born=date(1990, 5, 17), **profile):
    user = volunteer(born=born)
    VolunteerProfile.objects.filter(user=user).update(**profile)
    return user


def shift(title, *, at=None, area=None, **kwargs):
    made = ShiftFactory(
        event__title=title,
        starts_at=at or NOW + timedelta(days=12),
        **kwargs,
    )
    if area:
        made.event.area_links.create(area=area)
    return made


def _list_page(client):
    page = client.get("/events/", {"suits_me": "on"}).context["page"]
    return sorted(event.title for event in page.object_list)


def _list_api(client):
    response = client.get("/api/v1/events", {"suits_me": "true"})
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def _for_me_page(client):
    return sorted(
        r.shift.event.title for r in client.get("/events/for-me/").context["recommendations"]
    )


def _for_me_api(client):
    response = client.get("/api/v1/me/recommendations")
    assert response.status_code == 200, response.content
    return sorted(item["event"]["title"] for item in response.json()["items"])


def everywhere(login_as, user):
    """What the four ways in list for `user`: the tick on the page and in the API, the
    for-me page and its API — one answer, or the test fails."""
    session, token = login_as(user), bearer(user)
    answers = {
        "list page": _list_page(session),
        "list api": _list_api(token),
        "for-me page": _for_me_page(session),
        "for-me api": _for_me_api(token),
    }
    assert len({tuple(titles) for titles in answers.values()}) == 1, answers
    return answers["list page"]


# --- item 2: soon-ness orders, never makes a candidate ------------------------------------


def test_a_profile_that_matches_nothing_gets_an_empty_list_everywhere(login_as, north):
    nobody = person(interests=["animals"], skills="жонглёр", availability=["sun-evening"])
    shift("Завтра рядом", at=NOW + timedelta(days=1), area="ecology", event__district=north)
    shift("Через два дня", at=NOW + timedelta(days=2))
    shift("Через месяц", at=NOW + timedelta(days=30), area="culture")
    assert everywhere(login_as, nobody) == []
    assert bearer(nobody).get("/api/v1/me/recommendations").json() == {
        "items": [],
        "count": 0,
    }


def test_an_empty_profile_suits_nothing_even_this_week(login_as):
    blank = person()
    shift("Завтра", at=NOW + timedelta(days=1))
    assert everywhere(login_as, blank) == []


def test_soon_ranks_higher_among_equals_but_never_above_a_better_match(login_as, north):
    user = person(interests=["ecology"])
    VolunteerProfile.objects.get(user=user).districts.add(north)
    later = shift("Позже", at=NOW + timedelta(days=12), area="ecology")
    soon = shift("Скоро", at=NOW + timedelta(days=2), area="ecology")
    best = shift("Лучше", at=NOW + timedelta(days=20), area="ecology", event__district=north)
    found = bearer(user).get("/api/v1/me/recommendations").json()["items"]
    assert [item["shift"]["id"] for item in found] == [best.pk, soon.pk, later.pk]
    assert found[1]["reasons"][-1] == "уже на этой неделе"
    assert everywhere(login_as, user) == ["Лучше", "Позже", "Скоро"]


# --- item 1: one definition for the list and the ranking ---------------------------------


def test_the_shifts_age_limits_hold_on_the_list_and_the_ranking(login_as):
    twenty = person(born=date(2006, 1, 10), interests=["ecology"])
    shift("С 21 года", area="ecology", min_age=21)
    shift("Для всех взрослых", area="ecology")
    assert everywhere(login_as, twenty) == ["Для всех взрослых"]


def test_a_minor_is_offered_only_shifts_open_to_minors(login_as):
    sixteen = person(born=date(2009, 9, 1), interests=["ecology"])
    shift("Только взрослым", area="ecology")
    shift("Можно подросткам", area="ecology", open_to_minors=True)
    shift("Подросткам с 17", area="ecology", open_to_minors=True, min_age=17)
    assert everywhere(login_as, sixteen) == ["Можно подросткам"]


def test_age_is_counted_on_the_shifts_day_as_signing_up_does(login_as):
    """Eighteen on 13 March: a shift on the 14th suits, one on the 12th does not."""
    almost = person(born=date(2008, 3, 13), interests=["ecology"])
    shift("Двенадцатого", area="ecology", at=local_moment(date(2026, 3, 12), time(10)))
    shift("Четырнадцатого", area="ecology", at=local_moment(SATURDAY, time(10)))
    assert everywhere(login_as, almost) == ["Четырнадцатого"]


def test_without_a_date_of_birth_age_limits_hide_nothing(login_as):
    unknown = person(born=None, interests=["ecology"])
    shift("С 21 года", area="ecology", min_age=21)
    assert everywhere(login_as, unknown) == ["С 21 года"]


def test_a_qualification_the_shift_asks_for_must_be_held_and_valid_on_its_day(login_as):
    medbook = Qualification.objects.create(name="Медкнижка", slug="medbook", expires=True)
    holder, expired, lacking = (person(interests=["ecology"]) for _ in range(3))
    VolunteerQualification.objects.create(user=holder, qualification=medbook)
    VolunteerQualification.objects.create(
        user=expired, qualification=medbook, valid_until=date(2026, 3, 20)
    )
    kitchen = shift("Кухня", area="ecology", at=local_moment(date(2026, 3, 25), time(10)))
    kitchen.qualifications.add(medbook)
    shift("Уборка", area="ecology")
    assert everywhere(login_as, holder) == ["Кухня", "Уборка"]
    assert everywhere(login_as, expired) == ["Уборка"]
    assert everywhere(login_as, lacking) == ["Уборка"]


def test_skills_the_shift_or_the_event_asks_for_suit_whatever_the_letter_case(login_as):
    photographer = person(skills="Фотограф, вожу машину, ИТ")
    shift("Фестиваль", tasks="Нужен ФОТОГРАФ на весь день")
    shift("Перевозка вещей", tasks="Нужен водитель")
    driving = shift("Ярмарка", tasks="Погрузка")
    event = Event.objects.get(pk=driving.event_id)
    event.description = "Ищем тех, кто вожу машину"
    event.save()
    shift("Уборка ИТ-класса")  # «ИТ» is too short to be a skill to search for
    assert everywhere(login_as, photographer) == ["Фестиваль", "Ярмарка"]
    item = bearer(photographer).get("/api/v1/me/recommendations").json()["items"]
    assert {reason for entry in item for reason in entry["reasons"]} == {
        "пригодятся ваши навыки: фотограф",
        "пригодятся ваши навыки: вожу машину",
    }


def test_free_time_suits_by_the_city_clock(login_as):
    saturday_morning = person(availability=["sat-morning"])
    shift("Суббота утром", at=local_moment(SATURDAY, time(9, 30)))
    shift("Суббота вечером", at=local_moment(SATURDAY, time(18, 0)))
    shift("Пятница утром", at=local_moment(date(2026, 3, 13), time(9, 30)))
    assert everywhere(login_as, saturday_morning) == ["Суббота утром"]


def test_areas_and_districts_suit_as_before(login_as, north):
    user = person(interests=["ecology"])
    VolunteerProfile.objects.get(user=user).districts.add(north)
    shift("На севере", event__district=north)
    shift("Экология", area="ecology")
    shift("Другое", area="culture")
    assert everywhere(login_as, user) == ["На севере", "Экология"]


def test_without_a_volunteer_profile_nothing_suits(login_as):
    newcomer = UserFactory()
    shift("Завтра", at=NOW + timedelta(days=1), area="ecology")
    assert _list_page(login_as(newcomer)) == []
    assert _list_api(bearer(newcomer)) == []
    assert bearer(newcomer).get("/api/v1/me/recommendations").json()["items"] == []
    assert bearer(newcomer).get("/api/v1/me/volunteer-profile").json()["saved"] is False


def test_for_me_leaves_out_full_and_taken_shifts_the_tick_still_lists(login_as):
    """Places and one's own signups are the ranking's concern, not «suits me»: the list
    has its own «только со свободными местами» filter."""
    user = person(interests=["ecology"])
    full = shift("Полная", area="ecology", capacity=1)
    RegistrationFactory(shift=full)
    mine = shift("Моя", area="ecology")
    RegistrationFactory(shift=mine, user=user)
    assert _list_api(bearer(user)) == ["Моя", "Полная"]
    assert _for_me_api(bearer(user)) == []


# --- the database filter and the reasons shown agree --------------------------------------


def test_the_filter_admits_exactly_the_shifts_with_a_reason(north):
    """`suiting_shifts` (SQL) and `reasons` (what the person reads) are two writings of one
    rule: over shifts that vary every property they read, they must agree one by one."""
    user = person(
        interests=["ecology"], skills="фотограф, повар", availability=["sat-morning", "mon-day"]
    )
    VolunteerProfile.objects.get(user=user).districts.add(north)
    south = District.objects.create(name="Южный", slug="south")
    moments = [local_moment(SATURDAY, time(hour)) for hour in (0, 9, 11, 12, 16, 17, 23)] + [
        local_moment(date(2026, 3, 16), time(hour)) for hour in (11, 12, 16, 17)
    ]
    for n, moment in enumerate(moments):
        for area, district, tasks in (
            ("ecology", None, ""),
            ("culture", north, ""),
            ("culture", south, "ищем Повара"),
            (None, None, "ничего общего"),
            (None, south, "фото"),
        ):
            shift(f"Смена {n}", at=moment, area=area, event__district=district, tasks=tasks)
    wishes = wishes_for(user)
    everything = Shift.objects.select_related("event").prefetch_related("event__area_links")
    admitted = set(suiting_shifts(Shift.objects.all(), wishes).values_list("pk", flat=True))
    explained = {s.pk for s in everything if reasons(s, wishes)}
    assert admitted == explained
    assert 0 < len(admitted) < Shift.objects.count()


@pytest.mark.parametrize("count", [1, 25])
def test_the_ticked_list_has_a_fixed_query_count(
    login_as, django_assert_max_num_queries, north, count
):
    user = person(interests=["ecology"], skills="фотограф", availability=["sat-morning"])
    VolunteerProfile.objects.get(user=user).districts.add(north)
    for n in range(count):
        shift(f"Акция {n}", area="ecology", event__district=north)
    session, token = login_as(user), bearer(user)
    with django_assert_max_num_queries(10):
        assert len(session.get("/events/", {"suits_me": "on"}).context["page"]) == min(count, 20)
    # one of them the upcoming events' lower bound (`selectors._not_ended`)
    with django_assert_max_num_queries(8):
        assert len(_list_api(token)) == min(count, 20)
