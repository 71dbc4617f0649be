"""Programmes through the API: the same rules, filters and services as the pages, for
every role; refusals are structured, never a 500; the list's query budget."""

from datetime import timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Notification
from dobry.core.clock import local_date
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory, ShiftFactory
from dobry.festivals.models import Programme, SessionRegistration, StandApplication
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import editor_of, festival, stand_organization

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_anyone_reads_a_published_programme_with_its_filters():
    f = festival()
    anyone = Client()
    found = anyone.get(f"{API}/event-programmes").json()["items"]
    assert [p["id"] for p in found] == [f.programme.pk]
    assert anyone.get(f"{API}/event-programmes/{f.programme.pk}").json()["version"] == 1
    assert [
        t["title"]
        for t in anyone.get(f"{API}/event-programmes/{f.programme.pk}/tracks").json()["items"]
    ] == [
        "Добровольчество",
        "НКО и власть",
    ]
    assert anyone.get(f"{API}/event-programmes/{f.programme.pk}/venues").json()["count"] == 2
    assert anyone.get(f"{API}/event-programmes/{f.programme.pk}/places").json()["count"] == 5
    sessions = f"{API}/event-programmes/{f.programme.pk}/sessions"
    titles = lambda **q: [s["title"] for s in anyone.get(sessions, q).json()["items"]]  # noqa: E731
    assert titles(track=f.tracks[1].pk) == ["Диалог с администрацией"]
    assert titles(venue=f.park.pk) == []
    assert titles(day=local_date(f.sessions[0].starts_at).isoformat()) == [
        "Как стать волонтёром",
        "Диалог с администрацией",
    ]
    item = anyone.get(sessions).json()["items"][0]
    assert item["capacity"] == 20
    assert item["taken"] == 0
    assert item["speakers"] == []


@pytest.mark.parametrize(
    "params", [{"track": "999999"}, {"venue": "²"}, {"day": "завтра"}, {"track": "0"}]
)
def test_hostile_filters_are_a_422_naming_the_filter(params):
    f = festival()
    answer = Client().get(f"{API}/event-programmes/{f.programme.pk}/sessions", params)
    assert answer.status_code == 422
    assert next(iter(params)) in answer.content.decode()


def test_a_track_of_another_programme_is_a_422():
    f, other = festival(), festival()
    answer = Client().get(
        f"{API}/event-programmes/{f.programme.pk}/sessions", {"track": other.tracks[0].pk}
    )
    assert answer.status_code == 422


def test_an_unpublished_programme_is_a_404_but_to_its_organisers():
    f = festival(publish=False)
    assert Client().get(f"{API}/event-programmes/{f.programme.pk}").status_code == 404
    assert bearer(UserFactory()).get(f"{API}/event-programmes/{f.programme.pk}").status_code == 404
    assert bearer(f.organiser).get(f"{API}/event-programmes/{f.programme.pk}").status_code == 200
    assert Client().get(f"{API}/event-programmes").json()["items"] == []


def test_organisers_build_a_programme_others_may_not():
    forum = EventFactory(kind=Event.Kind.FORUM)
    organiser = bearer(editor_of(forum.organization))
    outsider = bearer(UserFactory())
    assert post(outsider, "/event-programmes", {"event": forum.pk}).status_code == 403
    assert post(Client(), "/event-programmes", {"event": forum.pk}).status_code == 401
    made = post(organiser, "/event-programmes", {"event": forum.pk, "civic_forum": True})
    assert made.status_code == 201
    pk = made.json()["id"]
    assert post(organiser, "/event-programmes", {"event": forum.pk}).status_code == 409
    assert post(organiser, "/event-programmes", {"event": 999999}).status_code == 422
    track = post(organiser, f"/event-programmes/{pk}/tracks", {"title": "Секция НКО"})
    assert track.status_code == 201
    venue = post(organiser, f"/event-programmes/{pk}/venues", {"title": "Зал 1"}).json()
    zone = post(organiser, f"/event-programmes/{pk}/venues", {"title": "Парк", "kind": "park_zone"})
    places = post(
        organiser, f"/programme-venues/{zone.json()['id']}/places", {"first": 1, "last": 3}
    )
    assert [p["number"] for p in places.json()] == [1, 2, 3]
    start = forum.starts_at or (Programme.objects.get(pk=pk).created_at + timedelta(days=5))
    body = {"title": "Пленарное", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "venue": venue["id"],
            "track": track.json()["id"], "capacity": 2}  # fmt: skip
    session = post(organiser, f"/event-programmes/{pk}/sessions", body)
    assert session.status_code == 201, session.content
    clash = post(organiser, f"/event-programmes/{pk}/sessions", {**body, "title": "Другое"})
    assert clash.status_code == 422
    assert "starts_at" in clash.content.decode()
    assert post(outsider, f"/event-programmes/{pk}/tracks", {"title": "Моё"}).status_code == 404
    speaker = post(
        organiser, f"/programme-sessions/{session.json()['id']}/speakers",
        {"name": "Ирина", "role": "moderator"},
    )  # fmt: skip
    assert speaker.status_code == 201
    version = post(organiser, f"/event-programmes/{pk}/versions")
    assert version.status_code == 201
    assert version.json()["changes"] == ["Добавлена сессия «Пленарное»."]
    assert post(organiser, f"/event-programmes/{pk}/versions").status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "x" * 500},
        {"starts_at": "вчера"},
        {"capacity": 0},
        {"capacity": 10**9},
        {"venue": "²"},
        {"track": 999999},
    ],
)
def test_a_hostile_session_is_a_422(body):
    f = festival()
    start = f.event.starts_at + timedelta(hours=5)
    good = {"title": "Т", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "venue": f.hall.pk}  # fmt: skip
    answer = post(
        bearer(f.organiser), f"/event-programmes/{f.programme.pk}/sessions", {**good, **body}
    )
    assert answer.status_code == 422


def test_my_schedule_places_and_the_calendar():
    f = festival(capacity=1)
    person, other = UserFactory(), UserFactory()
    me = bearer(person)
    first, second = f.sessions
    assert post(me, f"/programme-sessions/{first.pk}/selection").status_code == 200
    assert post(me, f"/programme-sessions/{second.pk}/registration").status_code == 201
    assert post(bearer(other), f"/programme-sessions/{second.pk}/registration").status_code == 409
    assert post(Client(), f"/programme-sessions/{second.pk}/registration").status_code == 401
    mine = me.get(f"{API}/event-programmes/{f.programme.pk}/my-schedule").json()["items"]
    assert [(s["title"], s["registered"]) for s in mine] == [
        ("Как стать волонтёром", False),
        ("Диалог с администрацией", True),
    ]
    assert me.delete(f"{API}/programme-sessions/{second.pk}/registration").status_code == 200
    assert not SessionRegistration.objects.exists()
    assert me.delete(f"{API}/programme-sessions/{first.pk}/selection").status_code == 200
    assert me.get(f"{API}/event-programmes/{f.programme.pk}/my-schedule").json()["count"] == 1
    ics = Client().get(f"{API}/event-programmes/{f.programme.pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert len(Calendar.from_ical(ics.content).walk("VEVENT")) == 2


def test_stands_by_api_for_each_role():
    f = festival()
    organization, editor = stand_organization()
    applicant = bearer(editor)
    outsider = bearer(UserFactory())
    path = f"/event-programmes/{f.programme.pk}/stands"
    refused = post(outsider, path, {"organization": organization.pk, "exhibit": "Стенд"})
    assert refused.status_code == 422  # not an organisation they edit
    made = post(applicant, path, {"organization": organization.pk, "exhibit": "Выставка"})
    assert made.status_code == 201
    pk = made.json()["id"]
    assert Client().get(f"{API}{path}").json()["items"] == []
    assert bearer(f.organiser).get(f"{API}{path}").json()["count"] == 1
    assert (
        post(applicant, f"/programme-stands/{pk}/accept", {"place": f.places[0].pk}).status_code
        == 403
    )
    other = festival(publish=False)
    foreign = post(
        bearer(f.organiser), f"/programme-stands/{pk}/accept", {"place": other.places[0].pk}
    )
    assert foreign.status_code == 422
    accepted = post(
        bearer(f.organiser), f"/programme-stands/{pk}/accept", {"place": f.places[0].pk}
    )
    assert accepted.json()["place"] == "Аллея НКО № 1"
    assert [s["exhibit"] for s in Client().get(f"{API}{path}").json()["items"]] == ["Выставка"]
    rival, rival_editor = stand_organization()
    second = post(bearer(rival_editor), path, {"organization": rival.pk, "exhibit": "Ярмарка"})
    taken = post(
        bearer(f.organiser),
        f"/programme-stands/{second.json()['id']}/accept",
        {"place": f.places[0].pk},
    )
    assert taken.status_code == 409
    declined = post(
        bearer(f.organiser),
        f"/programme-stands/{second.json()['id']}/decline",
        {"reason": "Нет мест."},
    )
    assert declined.json()["status"] == "declined"
    assert post(outsider, f"/programme-stands/{pk}/withdraw").status_code == 403
    assert post(applicant, f"/programme-stands/{pk}/withdraw").json()["status"] == "withdrawn"
    assert StandApplication.objects.filter(status="accepted").count() == 0


def test_versions_notify_by_api_once():
    f = festival()
    person = UserFactory()
    services.selection_set(actor=person, session=f.sessions[0], selected=True)
    organiser = bearer(f.organiser)
    cancelled = post(organiser, f"/programme-sessions/{f.sessions[0].pk}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert post(bearer(person), f"/programme-sessions/{f.sessions[1].pk}/cancel").status_code == 403
    assert post(organiser, f"/event-programmes/{f.programme.pk}/versions").status_code == 201
    assert post(organiser, f"/event-programmes/{f.programme.pk}/versions").status_code == 409
    assert Notification.objects.filter(user=person, kind="programme_changed").count() == 1
    versions = Client().get(f"{API}/event-programmes/{f.programme.pk}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["changes"] == ["Отменена сессия «Как стать волонтёром»."]


def test_volunteer_shifts_on_zones_by_api():
    f = festival()
    shift = ShiftFactory(event=f.event, starts_at=f.event.starts_at)
    path = f"{API}/programme-shifts/{shift.pk}/post"
    put = lambda client, body: client.put(path, body, content_type="application/json")  # noqa: E731
    assert put(bearer(UserFactory()), {"venue": f.park.pk}).status_code == 403
    done = put(bearer(f.organiser), {"venue": f.park.pk})
    assert done.json() == {"shift_id": shift.pk, "venue_id": f.park.pk, "stand_id": None}
    assert put(bearer(f.organiser), {}).status_code == 422
    assert put(bearer(f.organiser), {"venue": 999999}).status_code == 422


def test_query_budget_of_the_sessions_list(django_assert_max_num_queries):
    f = festival()
    for n in range(15):
        session = services.session_save(
            actor=f.organiser, programme=f.programme,
            values={"title": f"Сессия {n}", "venue": f.park,
                    "starts_at": f.event.starts_at + timedelta(hours=n),
                    "ends_at": f.event.starts_at + timedelta(hours=n, minutes=30)},
        )  # fmt: skip
        services.speaker_add(actor=f.organiser, session=session, name=f"Спикер {n}")
    services.version_publish(actor=f.organiser, programme=f.programme)
    with django_assert_max_num_queries(8):
        items = Client().get(f"{API}/event-programmes/{f.programme.pk}/sessions").json()["items"]
    assert len(items) == 17
