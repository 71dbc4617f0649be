"""The programme's pages by role: the public programme with its filters (unknown values a
message, never a 500), «моё расписание», the calendar files, the stand application and
the organisers' desk; query budgets of the lists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.core.clock import local_date
from dobry.events.tests.factories import volunteer
from dobry.festivals.models import Selection, SessionRegistration, StandApplication
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"festivals:{name}", args=args)


def test_anyone_reads_a_published_programme_filtered_by_track_and_venue(client):
    f = festival()
    page = client.get(_url("programme", f.programme.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Как стать волонтёром" in text
    assert "Диалог с администрацией" in text
    assert "Войдите</a>, чтобы составить своё расписание." in text
    first, second = (f'id="session-{s.pk}"' for s in f.sessions)
    by_track = client.get(_url("programme", f.programme.pk), {"track": f.tracks[1].pk})
    assert first not in by_track.content.decode()
    assert second in by_track.content.decode()
    by_venue = client.get(_url("programme", f.programme.pk), {"venue": f.park.pk})
    assert "Сессий не найдено" in by_venue.content.decode()
    one = client.get(
        _url("programme", f.programme.pk), {"day": local_date(f.sessions[0].starts_at).isoformat()}
    )
    assert first in one.content.decode()


@pytest.mark.parametrize(
    "query", [{"track": "999999"}, {"venue": "x"}, {"day": "2020-01-01"}, {"track": "²"}]
)
def test_an_unknown_filter_value_is_answered_not_a_500(client, query):
    f = festival()
    page = client.get(_url("programme", f.programme.pk), query)
    assert page.status_code == 400


def test_a_track_of_another_programme_is_not_a_filter(client):
    f, other = festival(), festival()
    page = client.get(_url("programme", f.programme.pk), {"track": other.tracks[0].pk})
    assert page.status_code == 400


def test_an_unpublished_programme_is_a_404_but_to_its_organisers(client, resident, login_as):
    f = festival(publish=False)
    assert client.get(_url("programme", f.programme.pk)).status_code == 404
    assert login_as(resident).get(_url("programme", f.programme.pk)).status_code == 404
    page = login_as(f.organiser).get(_url("programme", f.programme.pk))
    assert "Программа ещё не опубликована" in page.content.decode()
    assert client.get(_url("ics", f.programme.pk)).status_code == 404


def test_a_resident_selects_registers_and_sees_my_schedule(resident, login_as):
    f = festival(capacity=5)
    browser = login_as(resident)
    answer = browser.post(_url("choose", f.sessions[0].pk), {"action": "select"}, follow=True)
    assert "Сессия добавлена в ваше расписание." in answer.content.decode()
    browser.post(_url("choose", f.sessions[1].pk), {"action": "register"})
    assert SessionRegistration.objects.filter(user=resident).count() == 1
    mine = browser.get(_url("mine", f.programme.pk)).content.decode()
    assert "Как стать волонтёром" in mine
    assert "Диалог с администрацией" in mine
    assert "профиль волонтёра" in mine  # no volunteer profile: no feed yet
    browser.post(_url("choose", f.sessions[0].pk), {"action": "unselect", "back": "mine"})
    assert Selection.objects.filter(user=resident).count() == 1


def test_a_full_session_and_a_hostile_action_are_refused_in_words(resident, login_as):
    f = festival(capacity=1)
    services.session_register(actor=UserFactory(), session=f.sessions[0])
    browser = login_as(resident)
    answer = browser.post(_url("choose", f.sessions[0].pk), {"action": "register"}, follow=True)
    assert "Мест на сессии больше нет." in answer.content.decode()
    assert browser.post(_url("choose", f.sessions[0].pk), {"action": "drop"}).status_code == 400
    assert browser.post(_url("choose", f.sessions[0].pk), {}).status_code == 400
    assert browser.get(_url("choose", f.sessions[0].pk)).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client):
    f = festival()
    for url in (_url("mine", f.programme.pk), _url("stand_apply", f.programme.pk),
                _url("manage", f.programme.pk)):  # fmt: skip
        assert client.get(url).status_code == 302
    assert client.post(_url("choose", f.sessions[0].pk), {"action": "select"}).status_code == 302


def test_my_feed_carries_my_sessions_beside_my_shifts(login_as):
    f = festival()
    person = volunteer()
    services.selection_set(actor=person, session=f.sessions[1], selected=True)
    mine = login_as(person).get(_url("mine", f.programme.pk)).content.decode()
    token = person.volunteer_profile.calendar_token
    assert token in mine
    feed = Client().get(reverse("events:feed", args=[token]))
    calendar = Calendar.from_ical(feed.content)
    summaries = [str(c["summary"]) for c in calendar.walk("VEVENT")]
    assert summaries == ["Фестиваль «Добрый Железногорск»: Диалог с администрацией"]
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["uid"]).startswith(f"programme-session-{f.sessions[1].pk}@")
    assert int(vevent["sequence"]) == 1


def test_the_programme_calendar_file_marks_a_cancelled_session(client):
    f = festival()
    services.session_cancel(actor=f.organiser, session=f.sessions[0])
    draft = client.get(_url("ics", f.programme.pk))  # the public file is the published version
    assert [str(c["status"]) for c in Calendar.from_ical(draft.content).walk("VEVENT")] == [
        "CONFIRMED",
        "CONFIRMED",
    ]
    services.version_publish(actor=f.organiser, programme=f.programme)
    answer = client.get(_url("ics", f.programme.pk))
    assert answer["Content-Type"].startswith("text/calendar")
    statuses = [str(c["status"]) for c in Calendar.from_ical(answer.content).walk("VEVENT")]
    assert statuses == ["CANCELLED", "CONFIRMED"]


def test_an_editor_applies_for_a_stand_on_the_page(login_as):
    f = festival()
    organization, editor = stand_organization()
    browser = login_as(editor)
    assert "Заявка на стенд" in browser.get(_url("programme", f.programme.pk)).content.decode()
    empty = browser.post(
        _url("stand_apply", f.programme.pk), {"organization": organization.pk, "exhibit": ""}
    )
    assert empty.status_code == 200
    assert not StandApplication.objects.exists()
    browser.post(
        _url("stand_apply", f.programme.pk),
        {"organization": organization.pk, "exhibit": "Мастер-класс по скворечникам"},
    )
    stand = StandApplication.objects.get()
    page = browser.get(_url("stand_apply", f.programme.pk)).content.decode()
    assert "подана" in page
    browser.post(_url("stand_withdraw", stand.pk))
    stand.refresh_from_db()
    assert stand.get_status_display() == "отозвана"


def test_an_outsider_cannot_apply_for_someone_elses_organisation(outsider, login_as):
    f = festival()
    organization, _editor = stand_organization()
    answer = login_as(outsider).post(
        _url("stand_apply", f.programme.pk), {"organization": organization.pk, "exhibit": "Моё"}
    )
    assert answer.status_code == 200  # not among the form's choices
    assert not StandApplication.objects.exists()


def test_organisers_decide_stands_and_publish_versions_on_their_desk(resident, login_as):
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Выставка"
    )
    assert login_as(resident).get(_url("manage", f.programme.pk)).status_code == 403
    assert login_as(resident).post(_url("publish", f.programme.pk)).status_code == 403
    assert (
        login_as(editor)
        .post(_url("stand_decide", stand.pk), {"action": "accept", "place": f.places[0].pk})
        .status_code
        == 403
    )
    desk = login_as(f.organiser)
    assert "Выставка" in desk.get(_url("manage", f.programme.pk)).content.decode()
    no_place = desk.post(_url("stand_decide", stand.pk), {"action": "accept"}, follow=True)
    assert "Выберите место для стенда." in no_place.content.decode()
    desk.post(_url("stand_decide", stand.pk), {"action": "accept", "place": f.places[0].pk})
    stand.refresh_from_db()
    assert stand.place == f.places[0]
    public = Client().get(_url("programme", f.programme.pk)).content.decode()
    assert organization.short_name in public
    # a change, shown before publishing, then published and told
    services.selection_set(actor=resident, session=f.sessions[0], selected=True)
    services.session_save(
        actor=f.organiser, programme=f.programme, session=f.sessions[0],
        values={"starts_at": f.sessions[0].starts_at - timedelta(hours=2),
                "ends_at": f.sessions[0].ends_at - timedelta(hours=2)},
    )  # fmt: skip
    assert "Изменена сессия" in desk.get(_url("manage", f.programme.pk)).content.decode()
    done = desk.post(_url("publish", f.programme.pk), follow=True).content.decode()
    assert "Новая версия программы опубликована." in done
    again = desk.post(_url("publish", f.programme.pk), follow=True).content.decode()
    assert "С прошлой версии в программе ничего не изменилось." in again
    assert Notification.objects.filter(kind="programme_changed", user=resident).count() == 1
    assert "Версия 2" in Client().get(_url("programme", f.programme.pk)).content.decode()


def test_a_decline_without_a_reason_is_refused_in_words(login_as):
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Выставка"
    )
    answer = login_as(f.organiser).post(
        _url("stand_decide", stand.pk), {"action": "decline", "reason": ""}, follow=True
    )
    assert "Объясните организации причину отказа." in answer.content.decode()


def test_the_event_page_links_to_its_published_programme(client):
    f = festival()
    page = client.get(f.event.get_absolute_url()).content.decode()
    assert f.programme.get_absolute_url() in page


def test_query_budget_of_the_programme_page(client, django_assert_max_num_queries, resident):
    f = festival()
    for n in range(10):
        services.session_save(
            actor=f.organiser, programme=f.programme,
            values={"title": f"Сессия {n}", "venue": f.park, "capacity": 5,
                    "starts_at": f.event.starts_at + timedelta(hours=n),
                    "ends_at": f.event.starts_at + timedelta(hours=n, minutes=50)},
        )  # fmt: skip
        services.speaker_add(actor=f.organiser, session=f.sessions[0], name=f"Спикер {n}")
    services.version_publish(actor=f.organiser, programme=f.programme)
    services.selection_set(actor=resident, session=f.sessions[0], selected=True)
    browser = Client()
    browser.force_login(resident)
    with django_assert_max_num_queries(25):
        assert browser.get(_url("programme", f.programme.pk)).status_code == 200
    with django_assert_max_num_queries(25):
        assert browser.get(_url("mine", f.programme.pk)).status_code == 200


def test_a_session_that_began_offers_no_place_to_take_or_give_back(resident, login_as):
    """The programme of a past festival showed «Записаться» and «Отменить запись» on
    sessions held months ago (the first refused in words, the second deleted the place)."""
    f = festival(capacity=5)
    services.session_register(actor=resident, session=f.sessions[1])
    browser = login_as(resident)
    before = browser.get(f.programme.get_absolute_url()).content.decode()
    assert 'value="unregister"' in before
    from dobry.festivals.models import Session

    Session.objects.filter(pk=f.sessions[1].pk).update(
        starts_at=f.sessions[1].starts_at - timedelta(days=300),
        ends_at=f.sessions[1].starts_at - timedelta(days=300) + timedelta(hours=1),
    )
    services.version_publish(actor=f.organiser, programme=f.programme)  # the page shows it
    html = browser.get(f.programme.get_absolute_url()).content.decode()
    held = html.split(f'id="session-{f.sessions[1].pk}"', 1)[1].split("</li>", 1)[0]
    assert "Запись: занято 1 из 5 мест" in held
    assert 'value="unregister"' not in held
    assert 'value="register"' not in held
    answer = browser.post(_url("choose", f.sessions[1].pk), {"action": "unregister"}, follow=True)
    assert "уже началась" in answer.content.decode()
    assert SessionRegistration.objects.filter(user=resident).count() == 1
