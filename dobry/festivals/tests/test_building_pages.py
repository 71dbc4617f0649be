"""The organisers build a programme on its pages: tracks, venues with numbered places,
sessions with speakers and moderators — created, changed, cancelled, brought back and
deleted through the same services as the API. Every role (anonymous, outsider, organiser,
coordinator), bad input answered at the field (never a 500), what may not be deleted, and
the desk's query budget."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dobry.core.clock import local_time
from dobry.festivals.models import Session, Speaker, StandPlace, Track, Venue
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"festivals:{name}", args=args)


def _local(moment):
    """A moment as the form's datetime-local input takes it, on the city's clock."""
    from dobry.core.clock import city_zone

    return moment.astimezone(city_zone()).strftime("%Y-%m-%dT%H:%M")


def _session_body(f, **changes):
    starts = f.event.starts_at + timedelta(hours=5)
    body = {
        "title": "Мастер-класс по первой помощи",
        "description": "Практика на манекенах.",
        "starts_at": _local(starts),
        "ends_at": _local(starts + timedelta(hours=1)),
        "venue": f.hall.pk,
        "track": f.tracks[0].pk,
        "capacity": "12",
    }
    body.update(changes)
    return body


# --- who may open the pages -----------------------------------------------------------------


def _pages(f):
    session, track, venue = f.sessions[0], f.tracks[0], f.park
    return [
        _url("track_new", f.programme.pk),
        _url("track_edit", track.pk),
        _url("venue_new", f.programme.pk),
        _url("venue_edit", venue.pk),
        _url("session_new", f.programme.pk),
        _url("session_edit", session.pk),
    ]


def test_anonymous_is_sent_to_sign_in(client):
    f = festival()
    for url in _pages(f):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert "/accounts/login/" in answer["Location"]


def test_an_outsider_is_refused_the_organisers_pages(outsider, login_as):
    f = festival()
    browser = login_as(outsider)
    for url in _pages(f):
        assert browser.get(url).status_code == 403, url
    assert browser.post(_url("track_delete", f.tracks[0].pk)).status_code == 403
    assert browser.post(_url("session_delete", f.sessions[0].pk)).status_code == 403
    assert browser.post(_url("venue_delete", f.park.pk)).status_code == 403
    assert Track.objects.filter(pk=f.tracks[0].pk).exists()


def test_an_unpublished_programme_is_a_404_to_an_outsider(outsider, login_as):
    f = festival(publish=False)
    browser = login_as(outsider)
    for url in _pages(f):
        assert browser.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["organiser", "coordinator"])
def test_organisers_and_coordinators_open_every_page(who, coordinator, login_as):
    f = festival()
    browser = login_as(f.organiser if who == "organiser" else coordinator)
    for url in _pages(f):
        assert browser.get(url).status_code == 200, url
    desk = browser.get(_url("manage", f.programme.pk)).content.decode()
    assert "через API" not in desk
    assert _url("session_edit", f.sessions[0].pk) in desk
    assert _url("track_edit", f.tracks[0].pk) in desk
    assert _url("venue_edit", f.park.pk) in desk


def test_missing_parts_are_404(coordinator, login_as):
    browser = login_as(coordinator)
    for name in ("track_edit", "venue_edit", "session_edit"):
        assert browser.get(_url(name, 999999)).status_code == 404
    for name in ("track_delete", "venue_delete", "session_delete", "speaker_remove"):
        assert browser.post(_url(name, 999999)).status_code == 404


# --- tracks ---------------------------------------------------------------------------------


def test_the_organiser_adds_renames_and_deletes_a_track(login_as):
    f = festival()
    browser = login_as(f.organiser)
    answer = browser.post(
        _url("track_new", f.programme.pk), {"title": "Экология", "position": "3"}, follow=True
    )
    assert "Направление сохранено." in answer.content.decode()
    track = Track.objects.get(programme=f.programme, title="Экология")
    assert track.position == 3
    browser.post(_url("track_edit", track.pk), {"title": "Зелёный город", "position": ""})
    track.refresh_from_db()
    assert (track.title, track.position) == ("Зелёный город", 0)
    answer = browser.post(_url("track_delete", track.pk), follow=True)
    assert "Направление удалено." in answer.content.decode()
    assert not Track.objects.filter(pk=track.pk).exists()


def test_a_track_title_taken_is_named_at_the_field(login_as):
    f = festival()
    answer = login_as(f.organiser).post(
        _url("track_new", f.programme.pk), {"title": "Добровольчество"}
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "error-summary" in text
    assert "Направление с таким названием уже есть." in text


@pytest.mark.parametrize(
    "body",
    [{"title": ""}, {"title": "x" * 151}, {"title": "Т", "position": "-1"},
     {"title": "Т", "position": "²"}, {"title": "Т", "position": "99999"}],
)  # fmt: skip
def test_bad_track_input_is_shown_at_the_form(login_as, body):
    f = festival()
    answer = login_as(f.organiser).post(_url("track_new", f.programme.pk), body)
    assert answer.status_code == 200
    assert "error-summary" in answer.content.decode()
    assert f.programme.tracks.count() == 2


def test_deleting_a_track_keeps_its_sessions(login_as):
    f = festival()
    login_as(f.organiser).post(_url("track_delete", f.tracks[0].pk))
    session = Session.objects.get(pk=f.sessions[0].pk)
    assert session.track is None


def test_a_section_with_a_resolution_is_not_deleted(login_as, freeze_now):
    f = festival(civic_forum=True, days_ahead=-1)
    services.resolution_publish(actor=f.organiser, track=f.tracks[0], summary="Решили")
    answer = login_as(f.organiser).post(_url("track_delete", f.tracks[0].pk), follow=True)
    assert "У секции есть резолюция" in answer.content.decode()
    assert Track.objects.filter(pk=f.tracks[0].pk).exists()


# --- venues and places -----------------------------------------------------------------------


def test_the_organiser_adds_a_zone_numbers_its_places_and_takes_one_away(login_as):
    f = festival()
    browser = login_as(f.organiser)
    answer = browser.post(
        _url("venue_new", f.programme.pk),
        {"title": "Поляна", "kind": "park_zone", "description": "у фонтана"},
    )
    venue = Venue.objects.get(programme=f.programme, title="Поляна")
    assert answer["Location"] == _url("venue_edit", venue.pk)
    answer = browser.post(_url("places_add", venue.pk), {"first": "1", "last": "4"}, follow=True)
    assert "Места для стендов добавлены." in answer.content.decode()
    assert list(venue.places.values_list("number", flat=True)) == [1, 2, 3, 4]
    place = venue.places.get(number=4)
    browser.post(_url("place_delete", place.pk))
    assert list(venue.places.values_list("number", flat=True)) == [1, 2, 3]
    page = browser.get(_url("venue_edit", venue.pk)).content.decode()
    assert "Убрать место 3" in page


@pytest.mark.parametrize(
    "body", [{"first": "5", "last": "2"}, {"first": "0", "last": "2"}, {"first": "x"},
             {"first": "1", "last": "1001"}, {"first": "1", "last": "300"}],
)  # fmt: skip
def test_bad_place_numbers_are_explained(login_as, body):
    f = festival()
    answer = login_as(f.organiser).post(_url("places_add", f.park.pk), body, follow=True)
    assert answer.status_code == 200
    assert f.park.places.count() == 5
    text = answer.content.decode()
    assert "Проверьте номера мест" in text or "не больше 200 за раз" in text


def test_a_place_with_a_stand_stays(login_as):
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    services.stand_accept(actor=f.organiser, stand=stand, place=f.places[0])
    browser = login_as(f.organiser)
    answer = browser.post(_url("place_delete", f.places[0].pk), follow=True)
    assert "стоит стенд" in answer.content.decode()
    assert StandPlace.objects.filter(pk=f.places[0].pk).exists()
    page = browser.get(_url("venue_edit", f.park.pk)).content.decode()
    assert organization.name in page
    answer = browser.post(_url("venue_delete", f.park.pk), follow=True)
    assert "стоят стенды" in answer.content.decode()


def test_a_venue_with_sessions_is_not_deleted_an_empty_one_is(login_as):
    f = festival()
    browser = login_as(f.organiser)
    answer = browser.post(_url("venue_delete", f.hall.pk), follow=True)
    assert "На площадке есть сессии" in answer.content.decode()
    assert Venue.objects.filter(pk=f.hall.pk).exists()
    empty = services.venue_save(actor=f.organiser, programme=f.programme, title="Фойе")
    answer = browser.post(_url("venue_delete", empty.pk), follow=True)
    assert "Площадка удалена." in answer.content.decode()
    assert not Venue.objects.filter(pk=empty.pk).exists()


def test_a_venue_title_taken_and_an_unknown_kind_are_named(login_as):
    f = festival()
    browser = login_as(f.organiser)
    taken = {"title": "Большой зал", "kind": "hall"}
    text = browser.post(_url("venue_new", f.programme.pk), taken).content
    assert "Площадка с таким названием уже есть." in text.decode()
    answer = browser.post(_url("venue_new", f.programme.pk), {"title": "Н", "kind": "moon"})
    assert answer.status_code == 200
    assert "error-summary" in answer.content.decode()


# --- sessions -----------------------------------------------------------------------------


def test_the_organiser_builds_a_session_with_its_people(login_as):
    f = festival()
    browser = login_as(f.organiser)
    answer = browser.post(_url("session_new", f.programme.pk), _session_body(f))
    session = Session.objects.get(title="Мастер-класс по первой помощи")
    assert answer["Location"] == _url("session_edit", session.pk)
    assert session.capacity == 12
    assert session.track == f.tracks[0]
    assert session.starts_at == f.event.starts_at.replace(second=0, microsecond=0) + timedelta(
        hours=5
    )
    browser.post(
        _url("speaker_add", session.pk),
        {"name": "Анна Петрова", "role": "speaker", "about": "врач скорой помощи"},
    )
    browser.post(_url("speaker_add", session.pk), {"name": "Иван Орлов", "role": "moderator"})
    page = browser.get(_url("session_edit", session.pk)).content.decode()
    assert "Анна Петрова" in page
    assert "Модератор: Иван Орлов" in page
    speaker = Speaker.objects.get(name="Иван Орлов")
    browser.post(_url("speaker_remove", speaker.pk))
    assert list(session.speakers.values_list("name", flat=True)) == ["Анна Петрова"]
    desk = browser.get(_url("manage", f.programme.pk)).content.decode()
    assert "новая, не опубликована" in desk
    assert "Добавлена сессия «Мастер-класс по первой помощи»." in desk


def test_the_session_form_shows_the_city_clock(login_as):
    f = festival()
    session = f.sessions[0]
    page = login_as(f.organiser).get(_url("session_edit", session.pk)).content.decode()
    assert f"{local_time(session.starts_at):%H:%M}" in page


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"ends_at": "2000-01-01T10:00"}, "Окончание должно быть позже начала."),
        ({"title": ""}, "Обязательное поле."),
        ({"capacity": "0"}, "error-summary"),
        ({"capacity": "100000"}, "error-summary"),
        ({"capacity": "²"}, "error-summary"),
        ({"starts_at": "2026-13-45T10:00"}, "error-summary"),
        ({"starts_at": "9999-12-31T23:59"}, "error-summary"),
        ({"venue": "999999"}, "error-summary"),
        ({"track": "x"}, "error-summary"),
        ({"description": "x" * 20_001}, "error-summary"),
    ],
)
def test_bad_session_input_is_named_at_its_field(login_as, changes, field_text):
    f = festival()
    answer = login_as(f.organiser).post(
        _url("session_new", f.programme.pk), _session_body(f, **changes)
    )
    assert answer.status_code == 200
    assert field_text in answer.content.decode()
    assert f.programme.sessions.count() == 2


def test_a_venue_or_track_of_another_programme_is_refused(login_as):
    f, other = festival(), festival()
    browser = login_as(f.organiser)
    for changes in ({"venue": other.hall.pk}, {"track": other.tracks[0].pk}):
        answer = browser.post(_url("session_new", f.programme.pk), _session_body(f, **changes))
        assert answer.status_code == 200
        assert "error-summary" in answer.content.decode()
    assert f.programme.sessions.count() == 2


def test_a_session_crossing_another_in_its_venue_is_refused(login_as):
    f = festival()
    first = f.sessions[0]
    body = _session_body(
        f,
        starts_at=_local(first.starts_at + timedelta(minutes=30)),
        ends_at=_local(first.ends_at + timedelta(minutes=30)),
    )
    answer = login_as(f.organiser).post(_url("session_new", f.programme.pk), body)
    assert "В это время на площадке идёт другая сессия" in answer.content.decode()


def test_capacity_below_the_places_taken_is_refused(login_as, resident):
    f = festival(capacity=5)
    session = f.sessions[0]
    services.session_register(actor=resident, session=session)
    body = _session_body(
        f,
        title=session.title,
        starts_at=_local(session.starts_at),
        ends_at=_local(session.ends_at),
        capacity="0",
    )
    answer = login_as(f.organiser).post(_url("session_edit", session.pk), body)
    assert "error-summary" in answer.content.decode()
    session.refresh_from_db()
    assert session.capacity == 5


def test_a_new_session_needs_a_venue_first(login_as):
    f = festival()
    other = services.programme_create(
        actor=f.organiser,
        event=type(f.event).objects.create(
            title="Форум", kind="forum", organization=f.event.organization,
            starts_at=f.event.starts_at, ends_at=f.event.ends_at, status=f.event.status,
        ),
    )  # fmt: skip
    answer = login_as(f.organiser).get(_url("session_new", other.pk))
    assert answer["Location"] == _url("venue_new", other.pk)


def test_a_draft_session_is_deleted_a_published_one_is_cancelled_and_restored(login_as):
    f = festival()
    browser = login_as(f.organiser)
    browser.post(_url("session_new", f.programme.pk), _session_body(f))
    draft = Session.objects.get(title="Мастер-класс по первой помощи")
    page = browser.get(_url("session_edit", draft.pk)).content.decode()
    assert "Удалить сессию" in page
    answer = browser.post(_url("session_delete", draft.pk), follow=True)
    assert "Сессия удалена." in answer.content.decode()
    assert not Session.objects.filter(pk=draft.pk).exists()

    published = f.sessions[0]
    page = browser.get(_url("session_edit", published.pk)).content.decode()
    assert "Удалить сессию" not in page
    answer = browser.post(_url("session_delete", published.pk), follow=True)
    assert "отмените её, а не удаляйте" in answer.content.decode()
    assert Session.objects.filter(pk=published.pk).exists()
    browser.post(_url("session_status", published.pk), {"action": "cancel"})
    published.refresh_from_db()
    assert published.status == "cancelled"
    answer = browser.post(_url("session_status", published.pk), {"action": "cancel"}, follow=True)
    assert answer.status_code == 200
    browser.post(_url("session_status", published.pk), {"action": "restore"})
    published.refresh_from_db()
    assert published.status == "scheduled"
    answer = browser.post(_url("session_status", published.pk), {"action": "x"}, follow=True)
    assert "Не понятно, что сделать с сессией." in answer.content.decode()


def test_a_cancelled_session_whose_time_was_taken_stays_cancelled(login_as):
    f = festival()
    first = f.sessions[0]
    services.session_cancel(actor=f.organiser, session=first)
    services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Вместо", "venue": f.hall, "starts_at": first.starts_at,
                "ends_at": first.ends_at},
    )  # fmt: skip
    answer = login_as(f.organiser).post(
        _url("session_status", first.pk), {"action": "restore"}, follow=True
    )
    assert "уже идёт другая сессия" in answer.content.decode()
    first.refresh_from_db()
    assert first.status == "cancelled"


def test_a_session_with_registrations_is_not_deleted(resident):
    f = festival(publish=False, capacity=3)
    session = f.sessions[0]
    from dobry.festivals.models import SessionRegistration

    SessionRegistration.objects.create(session=session, user=resident)
    assert not services.can_delete_session(session)


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "И", "role": "boss"},
                                  {"name": "x" * 200}])  # fmt: skip
def test_bad_speakers_are_explained(login_as, body):
    f = festival()
    answer = login_as(f.organiser).post(_url("speaker_add", f.sessions[0].pk), body, follow=True)
    assert "Проверьте спикера" in answer.content.decode()
    assert not Speaker.objects.exists()


def test_get_is_not_a_delete(login_as):
    f = festival()
    browser = login_as(f.organiser)
    assert browser.get(_url("session_delete", f.sessions[0].pk)).status_code == 405
    assert browser.get(_url("track_delete", f.tracks[0].pk)).status_code == 405


def test_query_budget_of_the_desk(django_assert_max_num_queries):
    f = festival()
    for n in range(12):
        services.session_save(
            actor=f.organiser, programme=f.programme,
            values={"title": f"Сессия {n}", "venue": f.park, "capacity": 5,
                    "starts_at": f.event.starts_at + timedelta(hours=n),
                    "ends_at": f.event.starts_at + timedelta(hours=n, minutes=50)},
        )  # fmt: skip
        services.track_save(actor=f.organiser, programme=f.programme, title=f"Направление {n}")
        services.venue_save(actor=f.organiser, programme=f.programme, title=f"Зал {n}")
    browser = Client()
    browser.force_login(f.organiser)
    with django_assert_max_num_queries(30):
        assert browser.get(_url("manage", f.programme.pk)).status_code == 200
    with django_assert_max_num_queries(20):
        assert browser.get(_url("venue_edit", f.park.pk)).status_code == 200
