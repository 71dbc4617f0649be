"""The services under the organisers' pages and the API, directly: who may build, what stays
(a published session, a venue in use, a place with a stand, a section with a resolution),
the list of changes a version will announce for the newly kept fields, the places one may
take and the check-in window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.events.tests.factories import ShiftFactory
from dobry.festivals import permissions
from dobry.festivals.models import Session, Speaker
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db


def test_outsiders_build_nothing():
    f = festival()
    outsider = UserFactory()
    speaker = services.speaker_add(actor=f.organiser, session=f.sessions[0], name="Ирина")
    attempts = [
        lambda: services.track_delete(actor=outsider, track=f.tracks[0]),
        lambda: services.venue_delete(actor=outsider, venue=f.park),
        lambda: services.place_delete(actor=outsider, place=f.places[0]),
        lambda: services.session_delete(actor=outsider, session=f.sessions[0]),
        lambda: services.session_restore(actor=outsider, session=f.sessions[0]),
        lambda: services.speaker_remove(actor=outsider, speaker=speaker),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.status == 403
    assert Speaker.objects.filter(pk=speaker.pk).exists()


def test_a_coordinator_builds_any_programme(coordinator):
    f = festival()
    track = services.track_save(actor=coordinator, programme=f.programme, title="Экология")
    services.track_delete(actor=coordinator, track=track)
    assert not f.programme.tracks.filter(title="Экология").exists()


def test_a_venue_with_a_volunteer_shift_stays():
    f = festival()
    lobby = services.venue_save(actor=f.organiser, programme=f.programme, title="Фойе")
    shift = ShiftFactory(event=f.event)
    services.shift_post_set(actor=f.organiser, shift=shift, venue=lobby)
    with pytest.raises(DomainError, match="смены волонтёров"):
        services.venue_delete(actor=f.organiser, venue=lobby)


def test_a_withdrawn_stand_frees_its_place_for_deletion():
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    services.stand_accept(actor=f.organiser, stand=stand, place=f.places[1])
    with pytest.raises(DomainError, match="стоит стенд"):
        services.place_delete(actor=f.organiser, place=f.places[1])
    services.stand_withdraw(actor=editor, stand=stand)
    services.place_delete(actor=f.organiser, place=f.places[1])
    assert f.park.places.count() == 4


def test_restoring_a_scheduled_session_is_refused():
    f = festival()
    with pytest.raises(DomainError) as refused:
        services.session_restore(actor=f.organiser, session=f.sessions[0])
    assert refused.value.status == 409


def test_a_version_announces_a_new_description_and_new_places():
    f = festival()
    services.session_save(
        actor=f.organiser, programme=f.programme, session=f.sessions[0],
        values={"description": "Новое", "capacity": 30},
    )  # fmt: skip
    changes = services.pending_changes(f.programme)
    assert changes[0]["fields"] == ["description", "capacity"]
    assert services.change_lines(changes) == [
        "Изменена сессия «Как стать волонтёром»: описание, места по записи."
    ]


def test_a_speakers_role_is_kept_in_the_version():
    f = festival()
    services.speaker_add(
        actor=f.organiser, session=f.sessions[0], name="Ирина", role="moderator", about="НКО"
    )
    services.version_publish(actor=f.organiser, programme=f.programme)
    kept = f.programme.versions.order_by("-number").first().snapshot[str(f.sessions[0].pk)]
    assert kept["speakers"] == [{"name": "Ирина", "role": "moderator", "about": "НКО"}]
    assert kept["people"] == ["Ирина"]


def test_deleting_a_draft_session_is_not_a_change_to_announce():
    f = festival()
    draft = services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Черновик", "venue": f.park, "starts_at": f.sessions[0].starts_at,
                "ends_at": f.sessions[0].ends_at},
    )  # fmt: skip
    assert services.can_delete_session(draft)
    services.session_delete(actor=f.organiser, session=draft)
    assert services.pending_changes(f.programme) == []
    assert not Session.objects.filter(pk=draft.pk).exists()


def test_a_session_someone_registered_for_is_not_deleted_even_unpublished():
    f = festival(publish=False, capacity=5)
    services.version_publish(actor=f.organiser, programme=f.programme)
    draft = services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Черновик", "venue": f.park, "capacity": 3,
                "starts_at": f.sessions[0].starts_at, "ends_at": f.sessions[0].ends_at},
    )  # fmt: skip
    draft.registrations.create(user=UserFactory())
    with pytest.raises(DomainError, match="отмените её"):
        services.session_delete(actor=f.organiser, session=draft)


def test_the_check_in_window_and_who_may_mark(freeze_now, coordinator):
    f = festival(capacity=5, days_ahead=1)
    session = f.sessions[0]
    early = permissions.can_check_in(f.organiser, session)
    assert not early
    assert early.not_now
    freeze_now(session.starts_at - timedelta(minutes=59))
    assert permissions.can_check_in(f.organiser, session)
    assert permissions.can_check_in(coordinator, session)
    outsider = permissions.can_check_in(UserFactory(), session)
    assert not outsider
    assert not outsider.not_now


def test_the_places_one_may_take():
    f = festival(capacity=4)
    session = f.sessions[0]
    assert services.registration_limit(session) == 4
    session.capacity = 2
    assert services.registration_limit(session) == 2
    session.capacity = 9
    assert services.registration_limit(session) == 4
    session.capacity = None
    assert services.registration_limit(session) == 4


def test_a_session_not_in_any_version_has_no_places():
    f = festival(publish=False, capacity=4)
    assert services.registration_limit(f.sessions[0]) == 0
    assert not permissions.is_published(f.sessions[0])


def test_the_published_state_is_read_again_after_a_version():
    f = festival()
    assert str(f.sessions[0].pk) in f.programme.published_state()
    new = services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Новая", "venue": f.park, "starts_at": timezone.now() + timedelta(days=3),
                "ends_at": timezone.now() + timedelta(days=3, hours=1)},
    )  # fmt: skip
    assert str(new.pk) not in f.programme.published_state()
    services.version_publish(actor=f.organiser, programme=f.programme)
    assert str(new.pk) in f.programme.published_state()
