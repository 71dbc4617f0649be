"""The programme's services: building it, places on sessions, «моё расписание» and the
refusals of each, by role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.festivals import permissions
from dobry.festivals.models import Selection, Session, SessionRegistration
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import editor_of, festival

pytestmark = pytest.mark.django_db


def _session_values(f, *, hours: int, venue=None, **more):
    start = f.event.starts_at + timedelta(hours=hours)
    return {"title": "Мастер-класс", "venue": venue or f.hall, "track": None, "capacity": None,
            "starts_at": start, "ends_at": start + timedelta(hours=1), **more}  # fmt: skip


def test_only_a_forum_or_festival_gets_a_programme_and_only_one():
    action = EventFactory(kind=Event.Kind.VOLUNTEER_ACTION)
    organiser = editor_of(action.organization)
    with pytest.raises(InvalidTransition, match="только у форума или фестиваля"):
        services.programme_create(actor=organiser, event=action)
    forum = EventFactory(kind=Event.Kind.FORUM, organization=action.organization)
    services.programme_create(actor=organiser, event=forum)
    with pytest.raises(InvalidTransition, match="уже есть программа"):
        services.programme_create(actor=organiser, event=forum)


def test_an_outsider_and_a_resident_do_not_build_a_programme(outsider, resident):
    forum = EventFactory(kind=Event.Kind.FORUM)
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=outsider, event=forum)
    f = festival()
    with pytest.raises(PermissionDenied):
        services.track_save(actor=resident, programme=f.programme, title="Своё")
    with pytest.raises(PermissionDenied):
        services.session_save(
            actor=resident, programme=f.programme, values=_session_values(f, hours=5)
        )


def test_a_coordinator_builds_any_programme(coordinator):
    f = festival()
    track = services.track_save(actor=coordinator, programme=f.programme, title="Экология")
    assert track.programme == f.programme


def test_titles_of_tracks_and_venues_are_unique_in_a_programme():
    f = festival()
    with pytest.raises(DomainError) as error:
        services.track_save(actor=f.organiser, programme=f.programme, title="Добровольчество")
    assert "title" in error.value.field_errors
    with pytest.raises(DomainError):
        services.venue_save(actor=f.organiser, programme=f.programme, title=" Большой зал ")


def test_two_sessions_never_overlap_in_one_venue():
    f = festival()
    with pytest.raises(DomainError) as error:
        services.session_save(
            actor=f.organiser, programme=f.programme, values=_session_values(f, hours=0)
        )
    assert error.value.field_errors["starts_at"] == [
        "В это время на площадке идёт другая сессия: «Как стать волонтёром»."
    ]
    # the same time in another venue is fine, and right after the session too
    services.session_save(
        actor=f.organiser, programme=f.programme, values=_session_values(f, hours=0, venue=f.park)
    )
    services.session_save(
        actor=f.organiser, programme=f.programme, values=_session_values(f, hours=2)
    )


def test_a_cancelled_session_frees_its_time_in_the_venue():
    f = festival()
    services.session_cancel(actor=f.organiser, session=f.sessions[0])
    moved = services.session_save(
        actor=f.organiser, programme=f.programme, values=_session_values(f, hours=0)
    )
    assert moved.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "start"}, "ends_at"),
        ({"venue": "other"}, "venue"),
        ({"track": "other"}, "track"),
        ({"capacity": 0}, "capacity"),
        ({"title": "x" * 300}, "title"),
    ],
)
def test_a_wrong_session_is_refused_naming_the_field(change, field):
    f = festival()
    other = festival(publish=False)
    values = _session_values(f, hours=6)
    if change.get("ends_at") == "start":
        values["ends_at"] = values["starts_at"]
    elif change.get("venue") == "other":
        values["venue"] = other.hall
    elif change.get("track") == "other":
        values["track"] = other.tracks[0]
    else:
        values.update(change)
    with pytest.raises(DomainError) as error:
        services.session_save(actor=f.organiser, programme=f.programme, values=values)
    assert field in error.value.field_errors


def test_capacity_never_below_the_places_taken():
    f = festival(capacity=3)
    session = f.sessions[0]
    for _n in range(2):
        services.session_register(actor=UserFactory(), session=session)
    with pytest.raises(DomainError) as error:
        services.session_save(
            actor=f.organiser, programme=f.programme, session=session, values={"capacity": 1}
        )
    assert error.value.field_errors["capacity"] == [
        "Уже записались 2 человека: мест не может быть меньше."
    ]


def test_places_on_a_session_run_out(resident):
    f = festival(capacity=1)
    session = f.sessions[0]
    registration = services.session_register(actor=resident, session=session)
    assert Selection.objects.filter(user=resident, session=session).exists()
    with pytest.raises(InvalidTransition, match="Вы уже записаны"):
        services.session_register(actor=resident, session=session)
    with pytest.raises(InvalidTransition, match="Мест на сессии больше нет"):
        services.session_register(actor=UserFactory(), session=session)
    services.session_unregister(actor=resident, session=session)
    assert not SessionRegistration.objects.filter(pk=registration.pk).exists()
    services.session_register(actor=UserFactory(), session=session)
    with pytest.raises(InvalidTransition, match="Вы не записаны"):
        services.session_unregister(actor=resident, session=session)


def test_no_registration_for_a_free_session_a_cancelled_or_a_started_one(resident, freeze_now):
    free = festival(capacity=None)
    with pytest.raises(InvalidTransition, match="запись не нужна"):
        services.session_register(actor=resident, session=free.sessions[0])
    f = festival()
    services.session_cancel(actor=f.organiser, session=f.sessions[1])
    with pytest.raises(InvalidTransition, match="Сессия отменена"):
        services.session_register(actor=resident, session=Session.objects.get(pk=f.sessions[1].pk))
    freeze_now(f.sessions[0].starts_at + timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="уже началась"):
        services.session_register(actor=resident, session=f.sessions[0])


def test_anonymous_visitors_neither_select_nor_register():
    from django.contrib.auth.models import AnonymousUser

    f = festival()
    with pytest.raises(PermissionDenied, match="Войдите"):
        services.selection_set(actor=AnonymousUser(), session=f.sessions[0], selected=True)
    with pytest.raises(PermissionDenied, match="Войдите"):
        services.session_register(actor=AnonymousUser(), session=f.sessions[0])


def test_an_unpublished_programme_is_the_organisers_only(resident, coordinator):
    f = festival(publish=False)
    assert not permissions.can_view(resident, f.programme)
    assert permissions.can_view(f.organiser, f.programme)
    assert permissions.can_view(coordinator, f.programme)
    with pytest.raises(PermissionDenied, match="ещё не опубликована"):
        services.selection_set(actor=resident, session=f.sessions[0], selected=True)
    assert f.programme not in permissions.visible_programmes(resident)
    assert f.programme in permissions.visible_programmes(f.organiser)
    services.version_publish(actor=f.organiser, programme=f.programme)
    assert f.programme in permissions.visible_programmes(resident)


def test_selection_toggles(resident):
    f = festival()
    assert services.selection_set(actor=resident, session=f.sessions[0], selected=True)
    services.selection_set(actor=resident, session=f.sessions[0], selected=True)
    assert Selection.objects.filter(user=resident).count() == 1
    services.selection_set(actor=resident, session=f.sessions[0], selected=False)
    assert not Selection.objects.filter(user=resident).exists()


def test_speakers_and_moderators(resident):
    f = festival()
    speaker = services.speaker_add(
        actor=f.organiser, session=f.sessions[0], name=" Ирина Волонтёрова ", role="moderator"
    )
    assert speaker.name == "Ирина Волонтёрова"
    assert speaker.get_role_display() == "модератор"
    with pytest.raises(PermissionDenied):
        services.speaker_add(actor=resident, session=f.sessions[0], name="Я")


def test_places_of_a_zone_are_numbered_once():
    f = festival()
    again = services.places_add(actor=f.organiser, venue=f.park, first=4, last=7)
    assert [p.number for p in again] == [4, 5, 6, 7]
    assert f.park.places.count() == 7
    with pytest.raises(DomainError):
        services.places_add(actor=f.organiser, venue=f.park, first=0, last=3)
    with pytest.raises(DomainError):
        services.places_add(actor=f.organiser, venue=f.park, first=1, last=900)


def test_sessions_past_do_not_take_registrations_at_any_hour(resident):
    f = festival(days_ahead=-1)
    assert f.sessions[0].starts_at < timezone.now()
    with pytest.raises(InvalidTransition):
        services.session_register(actor=resident, session=f.sessions[0])


def test_a_place_on_a_session_that_began_is_not_given_back(resident, freeze_now):
    """Giving back a place on a session held months ago deleted the registration, and
    with it the person from the forum's participants in indicator 3 of that period."""
    f = festival()
    session = f.sessions[0]
    services.session_register(actor=resident, session=session)
    freeze_now(session.starts_at + timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="уже началась"):
        services.session_unregister(actor=resident, session=session)
    assert SessionRegistration.objects.filter(user=resident, session=session).exists()
    # the page offers neither a place nor giving one back once it began
    assert not permissions.can_register(resident, session)
    assert not permissions.can_unregister(resident, session)


def test_a_place_is_given_back_before_the_session_begins(resident):
    f = festival()
    session = f.sessions[0]
    services.session_register(actor=resident, session=session)
    assert permissions.can_unregister(resident, session)
    services.session_unregister(actor=resident, session=session)
    assert not SessionRegistration.objects.filter(user=resident, session=session).exists()
