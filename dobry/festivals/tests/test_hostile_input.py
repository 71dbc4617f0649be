"""Bad input to the programme's forms and API — digits of other scripts, a NUL, the
calendar's edges (year 1, year 9999), numbers past every limit, values of another
programme, forged buttons — is answered with a clear refusal naming what is wrong (a
form's error, an error message, a 4xx with the field), never a 500, and nothing is saved."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.clock import city_zone
from dobry.events.tests.factories import EventFactory, ShiftFactory
from dobry.festivals.models import Session, Speaker, StandApplication, StandPlace, Track, Venue
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"
NUL = "Зал\x00"


def _saved(f):
    """What a refused input must leave as it was."""
    return (
        Track.objects.filter(programme=f.programme).count(),
        Venue.objects.filter(programme=f.programme).count(),
        StandPlace.objects.filter(venue__programme=f.programme).count(),
        sorted(Session.objects.filter(programme=f.programme).values_list("title", "capacity")),
        Speaker.objects.filter(session__programme=f.programme).count(),
    )


def _local(moment):
    return moment.astimezone(city_zone()).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def scene(login_as):
    f = festival()
    return f, login_as(f.organiser), bearer(f.organiser)


# --- the organisers' forms ------------------------------------------------------------------

TRACK_FORMS = [
    ({"title": NUL}, "title"),
    ({"title": "Т" * 1000}, "title"),
    ({"title": "Новый", "position": "１２"}, "position"),
    ({"title": "Новый", "position": "-1"}, "position"),
    ({"title": "Новый", "position": "1001"}, "position"),
    ({"title": "Новый", "position": "99999999999999999999"}, "position"),
    ({"title": ""}, "title"),
]


@pytest.mark.parametrize(("body", "field"), TRACK_FORMS)
def test_a_bad_track_or_venue_is_refused_at_its_field(scene, body, field):
    f, page, _api = scene
    before = _saved(f)
    for url, extra in [
        (reverse("festivals:track_new", args=[f.programme.pk]), {}),
        (reverse("festivals:venue_new", args=[f.programme.pk]), {"kind": "hall"}),
        (reverse("festivals:venue_edit", args=[f.hall.pk]), {"kind": "hall"}),
    ]:
        answer = page.post(url, {"description": "", **extra, **body})
        assert answer.status_code == 200, url
        assert field in answer.context["form"].errors, (url, answer.context["form"].errors)
    assert _saved(f) == before


def test_a_venue_of_an_unknown_kind_is_refused(scene):
    f, page, _api = scene
    answer = page.post(
        reverse("festivals:venue_new", args=[f.programme.pk]), {"title": "Замок", "kind": "castle"}
    )
    assert "kind" in answer.context["form"].errors
    assert not Venue.objects.filter(title="Замок").exists()


def _session_form(f, **changes):
    starts = f.event.starts_at + timedelta(hours=5)
    body = {"title": "Мастер-класс", "description": "", "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=1)), "venue": f.hall.pk, "track": "",
            "capacity": "10"}  # fmt: skip
    return {**body, **changes}


SESSION_FORMS = [
    ({"starts_at": "0001-01-01T00:00"}, "starts_at"),
    ({"ends_at": "9999-12-31T23:59"}, "ends_at"),
    ({"starts_at": "２０２６-０１-０１T10:00"}, "starts_at"),
    ({"starts_at": "завтра"}, "starts_at"),
    ({"capacity": "٣"}, "capacity"),
    ({"capacity": "0"}, "capacity"),
    ({"capacity": "99999999999999999999"}, "capacity"),
    ({"venue": "abc"}, "venue"),
    ({"venue": "999999"}, "venue"),
    ({"track": "²"}, "track"),
    ({"title": "Сессия\x00"}, "title"),
]


@pytest.mark.parametrize(("changes", "field"), SESSION_FORMS)
def test_a_bad_session_is_refused_at_its_field(scene, changes, field):
    f, page, _api = scene
    before = _saved(f)
    for url in [
        reverse("festivals:session_new", args=[f.programme.pk]),
        reverse("festivals:session_edit", args=[f.sessions[0].pk]),
    ]:
        answer = page.post(url, _session_form(f, **changes))
        assert answer.status_code == 200, url
        assert field in answer.context["form"].errors, (url, answer.context["form"].errors)
    assert _saved(f) == before


def test_a_session_in_a_venue_of_another_programme_is_refused(scene):
    f, page, _api = scene
    other = festival()
    answer = page.post(
        reverse("festivals:session_new", args=[f.programme.pk]),
        _session_form(f, venue=other.hall.pk, track=other.tracks[0].pk),
    )
    assert {"venue", "track"} <= set(answer.context["form"].errors)
    assert not Session.objects.filter(title="Мастер-класс").exists()


ACTIONS = [
    ("places_add", "park", {"first": "x", "last": "3"}, "Проверьте номера мест."),
    ("places_add", "park", {"first": "0", "last": "3"}, "Проверьте номера мест."),
    ("places_add", "park", {"first": "1", "last": "１０"}, "Проверьте номера мест."),
    ("places_add", "park", {"first": "1", "last": "100000"}, "Проверьте номера мест."),
    ("places_add", "park", {"first": "1", "last": "300"}, "не больше 200 за раз"),
    ("speaker_add", "session", {"name": "", "role": "speaker"}, "Проверьте спикера."),
    ("speaker_add", "session", {"name": "Ирина", "role": "king"}, "Проверьте спикера."),
    ("speaker_add", "session", {"name": "Ирина\x00", "role": "speaker"}, "Проверьте спикера."),
    ("session_status", "session", {"action": "explode"}, "Не понятно, что сделать с сессией."),
    ("session_status", "session", {}, "Не понятно, что сделать с сессией."),
]


@pytest.mark.parametrize(("name", "part", "body", "said"), ACTIONS)
def test_a_bad_action_form_is_explained_and_changes_nothing(scene, name, part, body, said):
    f, page, _api = scene
    before = _saved(f)
    pk = f.park.pk if part == "park" else f.sessions[0].pk
    answer = page.post(reverse(f"festivals:{name}", args=[pk]), body, follow=True)
    assert answer.status_code == 200
    assert said in answer.content.decode()
    assert _saved(f) == before
    assert Session.objects.get(pk=f.sessions[0].pk).status == Session.Status.SCHEDULED


@pytest.mark.parametrize(
    ("body", "said"),
    [({"action": "accept"}, "Выберите место для стенда."),
     ({"action": "decline"}, "Объясните организации причину отказа."),
     ({"action": "decline", "reason": "   "}, "Объясните организации причину отказа.")],
)  # fmt: skip
def test_a_decision_missing_its_place_or_reason_is_explained_on_the_desk(scene, body, said):
    f, page, _api = scene
    stand = _stand_applied(f)
    answer = page.post(reverse("festivals:stand_decide", args=[stand.pk]), body, follow=True)
    assert answer.status_code == 200
    assert [str(m) for m in answer.context["messages"]] == [said]
    stand.refresh_from_db()
    assert (stand.status, stand.place_id) == (StandApplication.Status.SUBMITTED, None)


@pytest.mark.parametrize(
    ("body", "named"),
    [({}, "action"), ({"action": "promote", "place": "1"}, "action"),
     ({"action": "accept", "place": "abc"}, "place"),
     ({"action": "accept", "place": "999999"}, "place")],
)  # fmt: skip
def test_a_forged_decision_is_a_400_naming_the_value(scene, body, named):
    f, page, _api = scene
    stand = _stand_applied(f)
    answer = page.post(reverse("festivals:stand_decide", args=[stand.pk]), body)
    assert answer.status_code == 400
    assert named in answer.content.decode()
    stand.refresh_from_db()
    assert stand.status == StandApplication.Status.SUBMITTED


def _stand_applied(f):
    organization, editor = stand_organization()
    return services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )


def test_a_place_of_another_programme_is_not_a_place_for_a_stand(scene):
    f, page, api = scene
    other = festival()
    stand = _stand_applied(f)
    page.post(
        reverse("festivals:stand_decide", args=[stand.pk]),
        {"action": "accept", "place": other.places[0].pk},
    )
    by_api = api.post(
        f"{API}/programme-stands/{stand.pk}/accept", {"place": other.places[0].pk}, JSON
    )
    assert by_api.status_code == 422
    assert "place" in by_api.json()["errors"]
    stand.refresh_from_db()
    assert stand.place_id is None


def test_a_forged_choice_button_is_refused(login_as):
    f = festival()
    browser = login_as(UserFactory())
    for body in [{"action": "steal"}, {}, {"action": "register", "back": "elsewhere"}]:
        answer = browser.post(reverse("festivals:choose", args=[f.sessions[0].pk]), body)
        assert answer.status_code in (302, 400), body
    assert not f.sessions[0].registrations.exists()


# --- the API --------------------------------------------------------------------------------


def _session_json(f, **changes):
    starts = f.event.starts_at + timedelta(hours=5)
    body = {"title": "Мастер-класс", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(), "venue": f.hall.pk}  # fmt: skip
    return {**body, **changes}


SESSION_BODIES = [
    ({"starts_at": "0001-01-01T00:00:00+07:00"}, "starts_at"),
    ({"ends_at": "9999-12-31T23:59:59-07:00"}, "ends_at"),
    ({"starts_at": "завтра"}, "starts_at"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": 10**12}, "capacity"),
    ({"capacity": "٣"}, "capacity"),
    ({"venue": "abc"}, "venue"),
    ({"venue": 999999}, "venue"),
    ({"venue": 2**70}, "venue"),
    ({"track": -1}, "track"),
    ({"title": "Сессия\x00"}, "title"),
    ({"title": ""}, "title"),
]


@pytest.mark.parametrize(("changes", "field"), SESSION_BODIES)
def test_a_bad_session_by_api_is_a_422_naming_the_field(scene, changes, field):
    f, _page, api = scene
    before = _saved(f)
    added = api.post(
        f"{API}/event-programmes/{f.programme.pk}/sessions", _session_json(f, **changes), JSON
    )
    changed = api.put(
        f"{API}/programme-sessions/{f.sessions[0].pk}", _session_json(f, **changes), JSON
    )
    for answer in (added, changed):
        assert answer.status_code == 422, answer.content[:300]
        assert field in str(answer.json()["errors"]), answer.json()
    assert _saved(f) == before


def test_a_session_changed_by_api_keeps_to_the_programmes_rules(scene):
    f, _page, api = scene
    first, second = f.sessions
    other = festival()
    url = f"{API}/programme-sessions/{first.pk}"
    clash = {"starts_at": second.starts_at.isoformat(), "ends_at": second.ends_at.isoformat()}
    cases = [
        (_session_json(f, **clash), "starts_at"),
        (_session_json(f, venue=other.hall.pk), "venue"),
        (_session_json(f, track=other.tracks[0].pk), "track"),
        (_session_json(f, ends_at=f.event.starts_at.isoformat(),
                       starts_at=(f.event.starts_at + timedelta(hours=1)).isoformat()), "ends_at"),
    ]  # fmt: skip
    for body, field in cases:
        answer = api.put(url, body, JSON)
        assert answer.status_code == 422, (field, answer.content[:300])
        assert field in answer.json()["errors"], answer.json()
    first.refresh_from_db()
    assert first.title == "Как стать волонтёром"
    good = api.put(url, _session_json(f, title="Новое", capacity=7), JSON)
    assert good.status_code == 200
    assert (good.json()["title"], good.json()["capacity"]) == ("Новое", 7)


@pytest.mark.parametrize(
    "body",
    [{"first": 0, "last": 3}, {"first": 3, "last": 1}, {"first": 1, "last": 300},
     {"first": 1, "last": 10**9}, {"first": "１", "last": 3}, {"first": 1}, {}],
)  # fmt: skip
def test_bad_place_numbers_by_api_are_a_422(scene, body):
    f, _page, api = scene
    before = _saved(f)
    answer = api.post(f"{API}/programme-venues/{f.park.pk}/places", body, JSON)
    assert answer.status_code == 422, answer.content[:300]
    assert _saved(f) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [("tracks", {"title": NUL}), ("tracks", {"title": "Т", "position": 10**10}),
     ("tracks", {"title": "Т", "position": -1}), ("tracks", ["title"]), ("tracks", "Т"),
     ("venues", {"title": "Т", "kind": "castle"}), ("venues", {"title": NUL}),
     ("venues", {"title": "Т" * 1000})],
)  # fmt: skip
def test_a_bad_track_or_venue_by_api_is_a_422(scene, path, body):
    f, _page, api = scene
    before = _saved(f)
    answer = api.post(f"{API}/event-programmes/{f.programme.pk}/{path}", body, JSON)
    assert answer.status_code in (400, 422), answer.content[:300]
    assert answer.json()["message"]
    assert _saved(f) == before


def test_a_body_that_is_not_json_is_refused_not_a_500(scene):
    f, _page, api = scene
    url = f"{API}/event-programmes/{f.programme.pk}/tracks"
    assert api.post(url, "{title: 'x'", JSON).status_code == 400
    assert api.post(url, {"title": "Форма"}).status_code in (415, 422)
    assert not Track.objects.filter(title="Форма").exists()


def test_a_bad_speaker_or_stand_by_api_is_a_422(scene):
    f, _page, api = scene
    speakers = f"{API}/programme-sessions/{f.sessions[0].pk}/speakers"
    for body in [{"name": ""}, {"name": "Ирина", "role": "king"}, {"name": NUL}]:
        assert api.post(speakers, body, JSON).status_code == 422, body
    organization, editor = stand_organization()
    stands = f"{API}/event-programmes/{f.programme.pk}/stands"
    for body in [{"organization": organization.pk, "exhibit": ""},
                 {"organization": organization.pk, "exhibit": "   "},
                 {"organization": "²", "exhibit": "Стенд"},
                 {"organization": organization.pk, "exhibit": "Стенд\x00"}]:  # fmt: skip
        assert bearer(editor).post(stands, body, JSON).status_code == 422, body
    assert not StandApplication.objects.exists()
    assert _saved(f)[4] == 0


def test_a_volunteer_shift_is_placed_only_on_this_programmes_site(scene):
    f, _page, api = scene
    other = festival()
    shift = ShiftFactory(event=f.event, starts_at=f.event.starts_at)
    url = f"{API}/programme-shifts/{shift.pk}/post"
    assert api.put(url, {"venue": other.park.pk}, JSON).status_code == 422
    assert api.put(url, {}, JSON).status_code == 422  # neither a zone nor a stand
    assert api.put(url, {"venue": f.park.pk, "stand": 1}, JSON).status_code == 422
    assert api.put(f"{API}/programme-shifts/999999/post", {}, JSON).status_code == 404
    no_programme = ShiftFactory(event=EventFactory(organization=f.event.organization))
    answer = api.put(f"{API}/programme-shifts/{no_programme.pk}/post", {"venue": 1}, JSON)
    assert answer.status_code == 409
    assert "нет программы" in answer.json()["message"]


def test_a_programme_for_an_event_one_may_not_see_is_refused():
    hidden = EventFactory(kind="festival", status="draft")
    answer = bearer(UserFactory()).post(f"{API}/event-programmes", {"event": hidden.pk}, JSON)
    assert answer.status_code in (403, 422)
    assert answer.json()["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "２０２６-０９-１２", "2026-02-30"])
def test_a_day_past_the_calendar_or_in_other_digits_is_a_422_naming_the_filter(day):
    f = festival()
    answer = Client().get(f"{API}/event-programmes/{f.programme.pk}/sessions", {"day": day})
    assert answer.status_code == 422, answer.content[:300]
    assert "day" in str(answer.json()["errors"])
    # the page's filter offers the programme's days only: any other is a 400 with the reason
    page = Client().get(reverse("festivals:programme", args=[f.programme.pk]), {"day": day})
    assert page.status_code == 400
    assert "Как стать волонтёром" not in page.content.decode()
