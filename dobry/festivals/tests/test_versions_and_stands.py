"""Published versions with their list of changes and notifications sent once; stands
applied for, placed without double booking, declined and withdrawn; volunteer shifts on
zones and stands; the resolutions of the Civic Forum's sections."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.events.models import Event
from dobry.events.tests.factories import ShiftFactory
from dobry.festivals import permissions
from dobry.festivals.models import ProgrammeVersion, Session, StandApplication
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db


def _move(f, session, hours):
    return services.session_save(
        actor=f.organiser, programme=f.programme, session=session,
        values={"starts_at": session.starts_at + timedelta(hours=hours),
                "ends_at": session.ends_at + timedelta(hours=hours)},
    )  # fmt: skip


def test_the_first_version_tells_nobody_and_lists_every_session():
    f = festival()
    version = f.programme.versions.get()
    assert version.number == 1
    assert f.programme.version == 1
    assert [c["change"] for c in version.changes] == ["added", "added"]
    assert services.change_lines(version.changes) == [
        "Добавлена сессия «Как стать волонтёром».",
        "Добавлена сессия «Диалог с администрацией».",
    ]
    assert not Notification.objects.filter(kind="programme_changed").exists()


def test_a_new_version_lists_what_changed_and_tells_each_chooser_once(resident, outsider):
    f = festival()
    first, second = f.sessions
    services.selection_set(actor=resident, session=first, selected=True)
    services.session_register(actor=resident, session=second)
    services.session_register(actor=outsider, session=second)
    bystander = UserFactory()
    _move(f, second, 3)
    _move(f, first, 5)
    services.speaker_add(actor=f.organiser, session=first, name="Ирина Волонтёрова")
    version = services.version_publish(actor=f.organiser, programme=f.programme)
    assert version.number == 2
    assert services.change_lines(version.changes) == [
        "Изменена сессия «Как стать волонтёром»: начало, окончание, спикеры.",
        "Изменена сессия «Диалог с администрацией»: начало, окончание.",
    ]
    told = Notification.objects.filter(kind="programme_changed")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([resident.pk, outsider.pk])
    assert version.notified == 2
    assert not told.filter(user=bystander).exists()
    # pressing again publishes nothing and tells nobody again
    with pytest.raises(InvalidTransition, match="ничего не изменилось"):
        services.version_publish(actor=f.organiser, programme=f.programme)
    assert told.count() == 2
    assert ProgrammeVersion.objects.filter(programme=f.programme).count() == 2


def test_cancelled_and_added_sessions_read_in_the_list(resident):
    f = festival()
    services.selection_set(actor=resident, session=f.sessions[0], selected=True)
    services.session_cancel(actor=f.organiser, session=f.sessions[0])
    services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Концерт", "venue": f.park, "starts_at": f.event.starts_at,
                "ends_at": f.event.starts_at + timedelta(hours=1)},
    )  # fmt: skip
    version = services.version_publish(actor=f.organiser, programme=f.programme)
    assert services.change_lines(version.changes) == [
        "Отменена сессия «Как стать волонтёром».",
        "Добавлена сессия «Концерт».",
    ]
    (notification,) = Notification.objects.filter(kind="programme_changed", user=resident)
    assert "«Как стать волонтёром»" in notification.params["sessions"]


def test_a_removed_session_is_listed(resident):
    f = festival()
    Session.objects.filter(pk=f.sessions[1].pk).delete()
    version = services.version_publish(actor=f.organiser, programme=f.programme)
    assert services.change_lines(version.changes) == ["Удалена сессия «Диалог с администрацией»."]


def test_only_organisers_publish_and_an_empty_programme_is_not_published(resident):
    f = festival(publish=False)
    with pytest.raises(PermissionDenied):
        services.version_publish(actor=resident, programme=f.programme)
    Session.objects.filter(programme=f.programme).delete()
    with pytest.raises(InvalidTransition, match="хотя бы одну сессию"):
        services.version_publish(actor=f.organiser, programme=f.programme)


# --- stands --------------------------------------------------------------------------------


def test_an_organisation_applies_and_is_placed():
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization,
        exhibit="Фотовыставка «Добрые дела»", needs="Стол и розетка",
    )  # fmt: skip
    assert stand.get_status_display() == "подана"
    assert permissions.can_see_stand(editor, stand)
    assert not permissions.can_see_stand(UserFactory(), stand)
    with pytest.raises(InvalidTransition, match="уже есть заявка"):
        services.stand_apply(
            actor=editor, programme=f.programme, organization=organization, exhibit="Ещё"
        )
    services.stand_accept(actor=f.organiser, stand=stand, place=f.places[2])
    assert stand.get_status_display() == "принята"
    assert permissions.can_see_stand(UserFactory(), stand)
    (told,) = Notification.objects.filter(kind="stand_decided")
    assert told.user == editor


def test_outsiders_neither_apply_for_an_organisation_nor_decide(outsider):
    f = festival()
    organization, editor = stand_organization()
    with pytest.raises(PermissionDenied, match="владельцы и редакторы"):
        services.stand_apply(
            actor=outsider, programme=f.programme, organization=organization, exhibit="Стенд"
        )
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    with pytest.raises(PermissionDenied):
        services.stand_accept(actor=outsider, stand=stand, place=f.places[0])
    with pytest.raises(PermissionDenied):
        services.stand_accept(actor=editor, stand=stand, place=f.places[0])
    with pytest.raises(PermissionDenied):
        services.stand_withdraw(actor=outsider, stand=stand)


def test_an_empty_exhibit_and_a_past_event_are_refused(freeze_now):
    f = festival()
    organization, editor = stand_organization()
    with pytest.raises(DomainError) as error:
        services.stand_apply(
            actor=editor, programme=f.programme, organization=organization, exhibit="  "
        )
    assert error.value.field_errors == {"exhibit": ["Напишите, что покажете на стенде."]}
    freeze_now(f.event.ends_at + timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="уже прошло"):
        services.stand_apply(
            actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
        )


def test_one_place_holds_one_stand():
    f = festival()
    (a, a_editor), (b, b_editor) = stand_organization(), stand_organization()
    first = services.stand_apply(
        actor=a_editor, programme=f.programme, organization=a, exhibit="Мастер-класс"
    )
    second = services.stand_apply(
        actor=b_editor, programme=f.programme, organization=b, exhibit="Выставка"
    )
    services.stand_accept(actor=f.organiser, stand=first, place=f.places[0])
    with pytest.raises(InvalidTransition, match="уже занято"):
        services.stand_accept(actor=f.organiser, stand=second, place=f.places[0])
    services.stand_accept(actor=f.organiser, stand=second, place=f.places[1])
    # moving a stand to its own place again is fine; a place of another programme is not
    services.stand_accept(actor=f.organiser, stand=first, place=f.places[0])
    other = festival(publish=False)
    with pytest.raises(DomainError) as error:
        services.stand_accept(actor=f.organiser, stand=first, place=other.places[0])
    assert "place" in error.value.field_errors
    # withdrawn, the place is free again
    services.stand_withdraw(actor=a_editor, stand=first)
    services.stand_accept(actor=f.organiser, stand=second, place=f.places[0])
    with pytest.raises(InvalidTransition, match="уже не действует"):
        services.stand_accept(actor=f.organiser, stand=first, place=f.places[3])


def test_a_decline_needs_a_reason_and_is_told():
    f = festival()
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    with pytest.raises(DomainError) as error:
        services.stand_decline(actor=f.organiser, stand=stand, reason=" ")
    assert error.value.message == "Объясните организации причину отказа."
    assert "reason" in error.value.field_errors
    services.stand_decline(actor=f.organiser, stand=stand, reason="Мест не осталось.")
    assert stand.status == StandApplication.Status.DECLINED
    with pytest.raises(InvalidTransition):
        services.stand_decline(actor=f.organiser, stand=stand, reason="Снова")
    assert Notification.objects.filter(kind="stand_decided", user=editor).count() == 1


# --- volunteer shifts ----------------------------------------------------------------------


def test_a_volunteer_shift_is_linked_to_a_zone_or_a_stand(resident):
    f = festival()
    shift = ShiftFactory(event=f.event, starts_at=f.event.starts_at)
    post = services.shift_post_set(actor=f.organiser, shift=shift, venue=f.park)
    assert post.venue == f.park
    assert shift.post == post
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    with pytest.raises(DomainError) as error:
        services.shift_post_set(actor=f.organiser, shift=shift, stand=stand)
    assert "stand" in error.value.field_errors
    services.stand_accept(actor=f.organiser, stand=stand, place=f.places[0])
    post = services.shift_post_set(actor=f.organiser, shift=shift, stand=stand)
    assert post.stand == stand
    assert post.venue is None
    with pytest.raises(DomainError):
        services.shift_post_set(actor=f.organiser, shift=shift)
    with pytest.raises(DomainError):
        services.shift_post_set(actor=f.organiser, shift=shift, venue=f.park, stand=stand)
    with pytest.raises(PermissionDenied):
        services.shift_post_set(actor=resident, shift=shift, venue=f.park)
    other = ShiftFactory()
    with pytest.raises(InvalidTransition, match="нет программы"):
        services.shift_post_set(actor=f.organiser, shift=other, venue=f.park)


# --- resolutions ---------------------------------------------------------------------------


def _document():
    return SimpleUploadedFile("резолюция.pdf", b"%PDF-1.4 resolution", "application/pdf")


def test_a_section_resolution_is_published_after_the_forum_and_then_public(resident, freeze_now):
    f = festival(kind=Event.Kind.FORUM, civic_forum=True)
    section = f.tracks[1]
    with pytest.raises(InvalidTransition, match="после работы секции"):
        services.resolution_publish(actor=f.organiser, track=section, summary="Итоги")
    freeze_now(f.event.ends_at + timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        services.resolution_publish(actor=resident, track=section, summary="Итоги")
    with pytest.raises(DomainError):
        services.resolution_publish(actor=f.organiser, track=section, summary=" ")
    resolution = services.resolution_publish(
        actor=f.organiser, track=section, summary="Создать совет НКО.", file=_document()
    )
    assert resolution.published_at == timezone.now()
    assert resolution.original_name == "резолюция.pdf"
    assert permissions.can_read_resolution(resident, resolution)
    resolution.published_at = None
    assert not permissions.can_read_resolution(resident, resolution)
    assert permissions.can_read_resolution(f.organiser, resolution)


def test_a_festival_has_no_resolutions(freeze_now):
    f = festival()
    freeze_now(f.event.ends_at + timedelta(hours=1))
    with pytest.raises(InvalidTransition, match="Гражданского форума"):
        services.resolution_publish(actor=f.organiser, track=f.tracks[0], summary="Итоги")


def test_a_resolution_document_of_a_wrong_kind_is_refused(freeze_now):
    f = festival(kind=Event.Kind.FORUM, civic_forum=True)
    freeze_now(f.event.ends_at + timedelta(hours=1))
    bad = SimpleUploadedFile("virus.exe", b"MZ....", "application/octet-stream")
    with pytest.raises(DomainError) as error:
        services.resolution_publish(actor=f.organiser, track=f.tracks[0], summary="", file=bad)
    assert "file" in error.value.field_errors


def test_organisers_publish_a_resolution_on_their_desk_and_anyone_reads_it(
    login_as, freeze_now, client
):
    from django.urls import reverse

    f = festival(kind=Event.Kind.FORUM, civic_forum=True)
    freeze_now(f.event.ends_at + timedelta(hours=1))
    url = reverse("festivals:resolution", args=[f.tracks[0].pk])
    assert login_as(UserFactory()).post(url, {"summary": "Итоги"}).status_code == 403
    desk = login_as(f.organiser)
    assert (
        "Опубликовать резолюцию"
        in desk.get(reverse("festivals:manage", args=[f.programme.pk])).content.decode()
    )
    done = desk.post(url, {"summary": "Создать совет НКО.", "file": _document()}, follow=True)
    assert "Резолюция секции опубликована." in done.content.decode()
    page = client.get(f.programme.get_absolute_url()).content.decode()
    assert "Создать совет НКО." in page
    resolution = f.tracks[0].resolution
    download = client.get(resolution.file.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 resolution"
    if download.file_to_stream is not None:
        download.file_to_stream.close()
