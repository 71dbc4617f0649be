"""What the pages and the API read: sessions by the city's local day (a session late at
night belongs to the day it starts on the city's clock), filters, «моё расписание», the
site map of stands, the calendar's VEVENTs (UID, SEQUENCE, cancelled sessions), and the
versions' change lists compared field by field."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from icalendar import Calendar

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import city_zone, local_date
from dobry.core.errors import InvalidTransition
from dobry.festivals import calendar, selectors
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db


def test_sessions_are_grouped_by_the_citys_day_with_their_hours():
    f = festival()
    late = datetime.combine(local_date(f.event.starts_at), datetime.min.time(), city_zone())
    late = late.replace(hour=23, minute=30)
    night = services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Ночной кинопоказ", "venue": f.park, "starts_at": late,
                "ends_at": late + timedelta(hours=2)},
    )  # fmt: skip
    services.version_publish(actor=f.organiser, programme=f.programme)
    days = selectors.by_day(selectors.filtered_sessions(f.programme, {}))
    assert len(days) == 1
    assert days[0].day == local_date(f.event.starts_at)
    assert [s.pk for s in days[0].sessions][-1] == night.pk
    assert days[0].sessions[-1].clock == "23:30–01:30"
    assert selectors.day_choices(f.programme) == [
        (days[0].day.isoformat(), selectors.day_text(days[0].day))
    ]


def test_filters_combine():
    f = festival()
    both = selectors.filtered_sessions(f.programme, {"track": f.tracks[0], "venue": f.hall})
    assert [s.title for s in both] == ["Как стать волонтёром"]
    assert selectors.filtered_sessions(f.programme, {"track": f.tracks[0], "venue": f.park}) == []
    assert selectors.filtered_sessions(f.programme, {"day": "2000-01-01"}) == []


def test_chosen_ids_for_a_person_and_for_nobody():
    f = festival()
    person = UserFactory()
    services.selection_set(actor=person, session=f.sessions[0], selected=True)
    services.session_register(actor=person, session=f.sessions[1])
    selected, registered = selectors.chosen_ids(person, f.programme)
    assert selected == {f.sessions[0].pk, f.sessions[1].pk}
    assert registered == {f.sessions[1].pk}
    assert selectors.chosen_ids(AnonymousUser(), f.programme) == (set(), set())
    other = festival()
    assert selectors.chosen_ids(person, other.programme) == (set(), set())
    assert [s.pk for s in selectors.my_sessions(person, f.programme)] == [
        f.sessions[0].pk,
        f.sessions[1].pk,
    ]


def test_the_site_map_shows_each_place_with_its_stand_or_free():
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    services.stand_accept(actor=f.organiser, stand=stand, place=f.places[3])
    ((zone, places),) = selectors.site_map(f.programme)
    assert zone == f.park
    assert [(p.number, s) for p, s in places] == [
        (1, None),
        (2, None),
        (3, None),
        (4, stand),
        (5, None),
    ]


def test_a_session_vevent_keeps_its_uid_and_takes_the_version_as_sequence():
    f = festival()
    body = calendar.programme_ics(f.programme, selectors.sessions_of(f.programme))
    first = Calendar.from_ical(body).walk("VEVENT")[0]
    uid = str(first["uid"])
    assert uid.startswith(f"programme-session-{f.sessions[0].pk}@")
    assert int(first["sequence"]) == 1
    assert str(first["location"]).startswith("Большой зал")
    services.session_cancel(actor=f.organiser, session=f.sessions[0])
    services.version_publish(actor=f.organiser, programme=f.programme)
    f.programme.refresh_from_db()
    again = Calendar.from_ical(
        calendar.programme_ics(f.programme, selectors.sessions_of(f.programme))
    ).walk("VEVENT")[0]
    assert str(again["uid"]) == uid
    assert int(again["sequence"]) == 2
    assert str(again["status"]) == "CANCELLED"


def test_only_published_programmes_reach_the_personal_feed():
    person = UserFactory()
    draft = festival(publish=False)
    published = festival()
    with pytest.raises(InvalidTransition):  # a session of no published version is not chosen
        services.selection_set(actor=draft.organiser, session=draft.sessions[0], selected=True)
    services.selection_set(actor=published.organiser, session=published.sessions[0], selected=True)
    services.selection_set(actor=person, session=published.sessions[1], selected=True)
    assert [str(v["summary"]).split(": ")[1] for v in calendar.selected_sessions(person)] == [
        "Диалог с администрацией"
    ]
    assert len(calendar.selected_sessions(draft.organiser)) == 0
    assert calendar.selected_sessions(AnonymousUser()) == []


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("title", "Новое название", "название"),
        ("venue", "Аллея НКО", "площадка"),
        ("track", "", "направление"),
        ("people", ["Ирина"], "спикеры"),
    ],
)
def test_each_changed_field_is_named_in_the_list(field, value, label):
    before = {"1": {"title": "Сессия", "starts_at": "a", "ends_at": "b", "venue": "Большой зал",
                    "track": "Добровольчество", "status": "scheduled", "people": []}}  # fmt: skip
    after = {"1": {**before["1"], field: value}}
    changes = services.changes_between(before, after)
    assert [c["fields"] for c in changes] == [[field]]
    title = after["1"]["title"]
    assert services.change_lines(changes) == [f"Изменена сессия «{title}»: {label}."]
    assert services.changes_between(before, before) == []
