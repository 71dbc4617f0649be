"""The public programme is the last published version: an organiser's edit (a renamed or
moved session, a new one, new places, a new speaker) is a draft, invisible on the public
page, its print view, the calendar files, the personal feed and the public API until a
version is published — the organisers see it on their desk with what will change. The
version then tells once each person who chose a changed session, and nobody else."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Notification
from dobry.core.errors import DomainError
from dobry.events.tests.factories import volunteer
from dobry.festivals import calendar, selectors
from dobry.festivals.models import ProgrammeVersion, Selection, SessionRegistration
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _url(name, *args):
    return reverse(f"festivals:{name}", args=args)


def _draft_edits(f):
    """Rename and move the first session, give it a speaker and more places; add a new
    session — none of it published."""
    first = f.sessions[0]
    services.session_save(
        actor=f.organiser, programme=f.programme, session=first,
        values={"title": "Как стать волонтёром: новое", "venue": f.park, "capacity": 40,
                "description": "Новое описание"},
    )  # fmt: skip
    services.speaker_add(actor=f.organiser, session=first, name="Новый Спикер")
    return services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Черновая сессия", "venue": f.hall,
                "starts_at": f.event.starts_at + timedelta(hours=6),
                "ends_at": f.event.starts_at + timedelta(hours=7)},
    )  # fmt: skip


def _summaries(answer):
    """The calendar file's events, as text: summary and description of each."""
    parsed = Calendar.from_ical(answer.content)
    return "\n".join(f"{e['summary']} {e['description']}" for e in parsed.walk("VEVENT"))


def _public_texts(f, client):
    page = client.get(_url("programme", f.programme.pk)).content.decode()
    ics = _summaries(client.get(_url("ics", f.programme.pk)))
    api = client.get(f"{API}/event-programmes/{f.programme.pk}/sessions").json()["items"]
    api_ics = _summaries(client.get(f"{API}/event-programmes/{f.programme.pk}/calendar.ics"))
    return page, ics, api, api_ics


def test_a_draft_edit_is_invisible_publicly_until_a_version_is_published(client):
    f = festival()
    draft = _draft_edits(f)
    page, ics, api, api_ics = _public_texts(f, client)
    for text in (page, ics, api_ics):
        assert "Как стать волонтёром" in text
        assert "новое" not in text
        assert "Новое описание" not in text
        assert "Черновая сессия" not in text
    assert "Новый Спикер" not in page
    first = next(item for item in api if item["id"] == f.sessions[0].pk)
    assert first["title"] == "Как стать волонтёром"
    assert first["venue_id"] == f.hall.pk
    assert first["capacity"] == 20
    assert first["speakers"] == []
    assert draft.pk not in [item["id"] for item in api]
    # the filter by venue follows the published venue too
    by_park = client.get(_url("programme", f.programme.pk), {"venue": f.park.pk})
    assert f'id="session-{f.sessions[0].pk}"' not in by_park.content.decode()

    services.version_publish(actor=f.organiser, programme=f.programme)
    page, ics, api, api_ics = _public_texts(f, client)
    for text in (page, ics, api_ics):
        assert "Как стать волонтёром: новое" in text
        assert "Черновая сессия" in text
    assert "Новый Спикер" in page
    first = next(item for item in api if item["id"] == f.sessions[0].pk)
    assert (first["venue_id"], first["capacity"]) == (f.park.pk, 40)
    assert first["speakers"][0]["name"] == "Новый Спикер"


def test_the_organiser_sees_the_draft_on_the_desk_and_a_note_on_the_public_page(login_as):
    f = festival()
    _draft_edits(f)
    browser = login_as(f.organiser)
    desk = browser.get(_url("manage", f.programme.pk)).content.decode()
    assert "Как стать волонтёром: новое" in desk
    assert "Черновая сессия" in desk
    assert "Добавлена сессия «Черновая сессия»." in desk
    assert "площадка" in desk
    assert "описание" in desk
    assert "места по записи" in desk
    public = browser.get(_url("programme", f.programme.pk)).content.decode()
    assert "Здесь — опубликованная версия." in public
    assert "Черновая сессия" not in public


def test_my_schedule_and_the_personal_feed_show_the_published_session(login_as):
    person = volunteer()
    f = festival()
    services.selection_set(actor=person, session=f.sessions[0], selected=True)
    _draft_edits(f)
    mine = login_as(person).get(_url("mine", f.programme.pk)).content.decode()
    assert "Как стать волонтёром" in mine
    assert "новое" not in mine
    api = bearer(person).get(f"{API}/event-programmes/{f.programme.pk}/my-schedule").json()
    assert [s["title"] for s in api["items"]] == ["Как стать волонтёром"]
    feed = calendar.selected_sessions(person)
    assert [str(e["summary"]).split(": ", 1)[1] for e in feed] == ["Как стать волонтёром"]
    services.version_publish(actor=f.organiser, programme=f.programme)
    feed = calendar.selected_sessions(person)
    assert str(feed[0]["summary"]).endswith("Как стать волонтёром: новое")
    assert int(feed[0]["sequence"]) == 2


def test_a_draft_session_cannot_be_chosen_by_residents(login_as):
    f = festival()
    draft = _draft_edits(f)
    resident = UserFactory()
    assert (
        login_as(resident).post(_url("choose", draft.pk), {"action": "select"}).status_code == 404
    )
    api = bearer(resident).post(f"{API}/programme-sessions/{draft.pk}/selection")
    assert api.status_code == 404
    organiser = bearer(f.organiser).post(f"{API}/programme-sessions/{draft.pk}/selection")
    assert organiser.status_code == 409
    assert organiser.json()["message"] == "Сессия ещё не опубликована."
    assert not Selection.objects.filter(session=draft).exists()


def test_publishing_tells_once_those_who_chose_a_changed_session_and_no_one_else():
    f = festival(capacity=5)
    chose_changed, registered_changed, chose_other = UserFactory(), UserFactory(), UserFactory()
    services.selection_set(actor=chose_changed, session=f.sessions[0], selected=True)
    services.session_register(actor=registered_changed, session=f.sessions[0])
    services.selection_set(actor=chose_other, session=f.sessions[1], selected=True)
    _draft_edits(f)
    assert not Notification.objects.filter(kind="programme_changed").exists()
    version = services.version_publish(actor=f.organiser, programme=f.programme)
    assert version.notified == 2
    told = Notification.objects.filter(kind="programme_changed")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [chose_changed.pk, registered_changed.pk]
    )
    with pytest.raises(DomainError):
        services.version_publish(actor=f.organiser, programme=f.programme)
    assert told.count() == 2


def test_places_are_the_fewer_of_those_published_and_those_set_now():
    f = festival(capacity=2)
    session = f.sessions[0]
    services.session_save(
        actor=f.organiser, programme=f.programme, session=session, values={"capacity": 5}
    )
    crowd = [UserFactory() for _ in range(3)]
    services.session_register(actor=crowd[0], session=session)
    services.session_register(actor=crowd[1], session=session)
    with pytest.raises(DomainError, match="Мест на сессии больше нет"):
        services.session_register(actor=crowd[2], session=session)
    services.version_publish(actor=f.organiser, programme=f.programme)
    session.programme.refresh_from_db()
    fresh = type(session).objects.select_related("programme").get(pk=session.pk)
    services.session_register(actor=crowd[2], session=fresh)
    assert SessionRegistration.objects.filter(session=session).count() == 3


def test_a_session_free_to_come_in_the_published_version_takes_no_registration():
    f = festival(capacity=None)
    session = f.sessions[0]
    services.session_save(
        actor=f.organiser, programme=f.programme, session=session, values={"capacity": 10}
    )
    fresh = type(session).objects.select_related("programme").get(pk=session.pk)
    with pytest.raises(DomainError, match="запись не нужна"):
        services.session_register(actor=UserFactory(), session=fresh)


def test_a_version_written_before_the_full_copy_reads_the_rest_from_now():
    """Versions published before the description, places, venue id and people were kept
    show those as they are now, and the next version does not call every session changed."""
    f = festival()
    version = ProgrammeVersion.objects.get(programme=f.programme)
    for kept in version.snapshot.values():
        for name in ("venue_id", "track_id", "description", "capacity", "speakers"):
            kept.pop(name)
    version.save(update_fields=["snapshot"])
    services.speaker_add(actor=f.organiser, session=f.sessions[1], name="Ирина")
    sessions = selectors.published_sessions(type(f.programme).objects.get(pk=f.programme.pk))
    assert [s.title for s in sessions] == ["Как стать волонтёром", "Диалог с администрацией"]
    assert sessions[0].capacity == 20
    changes = services.pending_changes(f.programme)
    assert [(c["title"], c["fields"]) for c in changes] == [("Диалог с администрацией", ["people"])]


def test_an_unpublished_programme_shows_no_sessions_to_its_organiser(login_as):
    f = festival(publish=False)
    page = login_as(f.organiser).get(_url("programme", f.programme.pk)).content.decode()
    assert "Программа ещё не опубликована" in page
    assert "Как стать волонтёром" not in page
    assert selectors.published_sessions(f.programme) == []
    assert selectors.days_of(f.programme) == []


def test_a_published_session_missing_from_the_version_is_a_404():
    f = festival()
    draft = _draft_edits(f)
    with pytest.raises(Http404):
        selectors.published_session(f.programme, draft.pk)


def test_the_public_ics_is_the_published_version():
    f = festival()
    _draft_edits(f)
    parsed = Calendar.from_ical(Client().get(_url("ics", f.programme.pk)).content)
    titles = sorted(str(e["summary"]) for e in parsed.walk("VEVENT"))
    assert titles == [
        "Фестиваль «Добрый Железногорск»: Диалог с администрацией",
        "Фестиваль «Добрый Железногорск»: Как стать волонтёром",
    ]


def test_query_budget_of_the_published_programme(django_assert_max_num_queries):
    f = festival()
    for n in range(12):
        session = services.session_save(
            actor=f.organiser, programme=f.programme,
            values={"title": f"Сессия {n}", "venue": f.park, "capacity": 5,
                    "starts_at": f.event.starts_at + timedelta(hours=n),
                    "ends_at": f.event.starts_at + timedelta(hours=n, minutes=50)},
        )  # fmt: skip
        services.speaker_add(actor=f.organiser, session=session, name=f"Спикер {n}")
    services.version_publish(actor=f.organiser, programme=f.programme)
    with django_assert_max_num_queries(20):
        assert Client().get(_url("programme", f.programme.pk)).status_code == 200
    with django_assert_max_num_queries(10):
        assert Client().get(_url("ics", f.programme.pk)).status_code == 200
    with django_assert_max_num_queries(12):
        answer = Client().get(f"{API}/event-programmes/{f.programme.pk}/sessions")
        assert answer.json()["count"] == 14
