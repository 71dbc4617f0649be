"""Events and registrations move by EVENT_WORKFLOW and REGISTRATION_WORKFLOW: the services
check each move against the table and the permission, the pages offer exactly the allowed
moves with the workflow's labels, and cancelling an event releases every registration in
one UPDATE through the workflow, each with its audit entry."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.events import permissions
from dobry.events.models import EVENT_WORKFLOW, REGISTRATION_WORKFLOW, Event, Registration
from dobry.events.services import events as event_services
from dobry.events.services import registrations as service
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer

pytestmark = pytest.mark.django_db
S = Registration.Status
E = Event.Status


def test_the_tables():
    assert EVENT_WORKFLOW.table == {
        E.DRAFT: frozenset({E.PUBLISHED, E.CANCELLED}),
        E.PUBLISHED: frozenset({E.CANCELLED}),
    }
    assert REGISTRATION_WORKFLOW.table == {
        S.PENDING_APPROVAL: frozenset({S.CONFIRMED, S.DECLINED, S.CANCELLED}),
        S.CONFIRMED: frozenset({S.CANCELLED}),
        S.WAITLISTED: frozenset({S.OFFERED, S.CANCELLED, S.DECLINED}),
        S.OFFERED: frozenset({S.CONFIRMED, S.PENDING_APPROVAL, S.CANCELLED, S.OFFER_EXPIRED}),
    }
    assert [m.name for m in REGISTRATION_WORKFLOW.moves if m.needs_reason] == ["decline"]


def _status(registration):
    registration.refresh_from_db()
    return registration.status


def test_an_organiser_cannot_approve_an_offered_place_for_the_volunteer(coordinator):
    """The bare table let any service take an offered place to «confirmed»: approving one
    confirmed a person who had not accepted it. Only the volunteer takes an offered place."""
    registration = RegistrationFactory(status=S.OFFERED)
    with pytest.raises(InvalidTransition, match="«предложено место» в «записан»"):
        service.registration_approve(actor=coordinator, registration=registration)
    assert _status(registration) == S.OFFERED


def test_only_organisers_approve_and_decline(resident, coordinator):
    registration = RegistrationFactory(status=S.PENDING_APPROVAL)
    with pytest.raises(DomainError, match="Управляют мероприятием"):
        service.registration_approve(actor=registration.user, registration=registration)
    with pytest.raises(DomainError, match="Управляют мероприятием"):
        service.registration_decline(actor=resident, registration=registration, reason="нет")
    with pytest.raises(DomainError, match="причину отказа") as refused:
        service.registration_decline(actor=coordinator, registration=registration, reason=" ")
    assert list(refused.value.field_errors) == ["reason"]
    assert _status(registration) == S.PENDING_APPROVAL
    service.registration_approve(actor=coordinator, registration=registration)
    assert _status(registration) == S.CONFIRMED


@pytest.mark.parametrize(
    ("status", "requires_approval", "moves"),
    [
        (S.CONFIRMED, False, ["cancel"]),
        (S.WAITLISTED, False, ["leave_waitlist"]),
        (S.OFFERED, False, ["accept_offer", "cancel"]),
        (S.OFFERED, True, ["accept_offer_for_approval", "cancel"]),
        (S.CANCELLED, False, []),
    ],
)
def test_the_volunteer_is_offered_the_moves_of_the_table(status, requires_approval, moves):
    shift = ShiftFactory(requires_approval=requires_approval)
    registration = RegistrationFactory(shift=shift, status=status)
    user = registration.user
    assert [
        m.name for m in permissions.registration_moves(user, registration, organiser=False)
    ] == (moves)
    assert permissions.registration_moves(user, registration, organiser=True) == []


def test_nothing_is_offered_once_the_shift_started_or_the_offer_expired():
    registration = RegistrationFactory(status=S.OFFERED)
    registration.offer_expires_at = timezone.now() - timedelta(minutes=1)
    names = [
        m.name
        for m in permissions.registration_moves(registration.user, registration, organiser=False)
    ]
    assert names == ["cancel"]
    registration.shift.starts_at = timezone.now() - timedelta(minutes=1)
    assert permissions.registration_moves(registration.user, registration, organiser=False) == []


def test_the_volunteers_pages_draw_the_buttons_from_the_workflow(login_as):
    registration = RegistrationFactory(status=S.WAITLISTED)
    client = login_as(registration.user)
    for url in (registration.shift.event.get_absolute_url(), "/events/my/"):
        page = client.get(url).content.decode()
        assert "Выйти из листа ожидания" in page
        assert f"/registrations/{registration.pk}/accept/" not in page
    Registration.objects.filter(pk=registration.pk).update(status=S.OFFERED)
    page = client.get("/events/my/").content.decode()
    assert f"/registrations/{registration.pk}/accept/" in page
    assert "Подтвердить участие" in page
    assert "Отменить запись" in page
    Registration.objects.filter(pk=registration.pk).update(status=S.CONFIRMED)
    page = client.get("/events/my/").content.decode()
    assert "Подтвердить участие" not in page
    assert "Отменить запись" in page


def test_the_manage_page_draws_the_buttons_from_the_workflow(login_as, coordinator):
    shift = ShiftFactory(requires_approval=True)
    event = shift.event
    pending = RegistrationFactory(shift=shift, status=S.PENDING_APPROVAL)
    RegistrationFactory(shift=shift, status=S.CONFIRMED)
    client = login_as(coordinator)
    page = client.get(f"/events/{event.pk}/manage/").content.decode()
    assert page.count('action="/events/registrations/') == 2  # approve and decline, once
    assert f"/events/registrations/{pending.pk}/approve/" in page
    assert "/publish/" not in page
    assert "Отменить и уведомить участников" in page
    event_services.event_cancel(actor=coordinator, event=event, reason="Буран")
    page = client.get(f"/events/{event.pk}/manage/").content.decode()
    assert "Отменить и уведомить участников" not in page
    assert "отменено" in page


def test_cancelling_an_event_releases_every_registration_in_one_update(coordinator):
    shift = ShiftFactory()
    held = [RegistrationFactory(shift=shift, status=s) for s in Registration.ACTIVE]
    gone = RegistrationFactory(shift=shift, status=S.DECLINED)
    with CaptureQueriesContext(connection) as queries:
        event_services.event_cancel(actor=coordinator, event=shift.event, reason="Буран")
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "events_registration"')
    ]
    assert len(updates) == 1
    assert {_status(r) for r in held} == {S.CANCELLED}
    assert all(r.cancelled_at is not None for r in held)
    assert _status(gone) == S.DECLINED
    entries = AuditEntry.objects.filter(action="registration.cancel_with_event")
    assert sorted((e.object_id, e.data["from"], e.data["to"]) for e in entries) == sorted(
        (str(r.pk), status, S.CANCELLED)
        for r, status in zip(held, Registration.ACTIVE, strict=True)
    )


def test_an_event_is_published_and_cancelled_once(coordinator):
    event = ShiftFactory(event__status=E.DRAFT).event
    event_services.event_publish(actor=coordinator, event=event)
    with pytest.raises(InvalidTransition):
        event_services.event_publish(actor=coordinator, event=event)
    with pytest.raises(DomainError, match="причину отмены"):
        event_services.event_cancel(actor=coordinator, event=event, reason="")
    event_services.event_cancel(actor=coordinator, event=event, reason="Буран")
    with pytest.raises(InvalidTransition):
        event_services.event_cancel(actor=coordinator, event=event, reason="Буран")


def test_only_organisers_publish(resident):
    event = ShiftFactory(event__status=E.DRAFT).event
    with pytest.raises(DomainError, match="Управляют мероприятием"):
        event_services.event_publish(actor=resident, event=event)
    event.refresh_from_db()
    assert event.status == E.DRAFT


def test_a_volunteer_cannot_take_a_place_that_was_not_offered():
    registration = RegistrationFactory(status=S.WAITLISTED)
    with pytest.raises(InvalidTransition, match="уже недействительно"):
        service.registration_accept_offer(user=registration.user, registration=registration)
    other = volunteer()
    with pytest.raises(DomainError, match="не ваша"):
        service.registration_cancel(user=other, registration=registration)
    assert _status(registration) == S.WAITLISTED
