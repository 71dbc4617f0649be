from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.events.models import Registration
from dobry.events.services import registrations as service
from dobry.events.services.events import shift_update
from dobry.events.tests.factories import ShiftFactory, volunteer

S = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def full_shift():
    shift = ShiftFactory(capacity=1)
    holder = service.registration_create(user=volunteer(), shift=shift)
    first = service.registration_create(user=volunteer(), shift=shift)
    second = service.registration_create(user=volunteer(), shift=shift)
    return shift, holder, first, second


def test_a_freed_place_is_offered_to_the_first_in_line_with_a_time_limit(full_shift, settings):
    _shift, holder, first, second = full_shift
    service.registration_cancel(user=holder.user, registration=holder)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.OFFERED
    assert second.status == S.WAITLISTED
    expected = timezone.now() + timedelta(hours=settings.DOBRY_WAITLIST_OFFER_HOURS)
    assert abs((first.offer_expires_at - expected).total_seconds()) < 60
    assert Notification.objects.filter(user=first.user, kind="waitlist_offer").exists()
    accepted = service.registration_accept_offer(user=first.user, registration=first)
    assert accepted.status == S.CONFIRMED


def test_an_unanswered_offer_passes_to_the_next_person(full_shift):
    _shift, holder, first, second = full_shift
    service.registration_cancel(user=holder.user, registration=holder)
    Registration.objects.filter(pk=first.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert service.offers_expire() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.OFFER_EXPIRED
    assert second.status == S.OFFERED
    with pytest.raises(InvalidTransition):
        service.registration_accept_offer(user=first.user, registration=first)


def test_declining_an_offer_passes_it_on(full_shift):
    _shift, holder, first, second = full_shift
    service.registration_cancel(user=holder.user, registration=holder)
    first.refresh_from_db()
    service.registration_cancel(user=first.user, registration=first)
    second.refresh_from_db()
    assert second.status == S.OFFERED


def test_people_leave_the_waiting_list_themselves(full_shift):
    _shift, _holder, first, _second = full_shift
    service.registration_cancel(user=first.user, registration=first)
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    assert not first.late_cancellation


def test_someone_elses_registration_cannot_be_cancelled(full_shift):
    _shift, holder, first, _second = full_shift
    with pytest.raises(DomainError):
        service.registration_cancel(user=first.user, registration=holder)


def test_a_group_that_does_not_fit_lets_the_next_person_have_the_place():
    shift = ShiftFactory(capacity=2)
    holder = service.registration_create(user=volunteer(), shift=shift)
    service.registration_create(user=volunteer(), shift=shift)
    team = service.registration_create(user=volunteer(), shift=shift, seats=3, group="corporate")
    single = service.registration_create(user=volunteer(), shift=shift)
    service.registration_cancel(user=holder.user, registration=holder)
    team.refresh_from_db()
    single.refresh_from_db()
    assert team.status == S.WAITLISTED
    assert single.status == S.OFFERED


def test_more_capacity_offers_the_new_places(full_shift, coordinator):
    shift, _holder, first, second = full_shift
    shift_update(actor=coordinator, shift=shift, fields={"capacity": 3})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.OFFERED, S.OFFERED)


def test_capacity_cannot_drop_below_the_places_taken(full_shift, coordinator):
    from django.core.exceptions import ValidationError

    shift, *_ = full_shift
    shift.capacity = 1
    with pytest.raises(ValidationError):
        shift_update(actor=coordinator, shift=shift, fields={"capacity": 0})


def test_late_cancellation_is_recorded_and_organisers_alerted(resident):
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory

    shift = ShiftFactory(
        starts_at=timezone.now() + timedelta(hours=5), event__cancellation_deadline_hours=24
    )
    MembershipFactory(
        organization=shift.event.organization, user=resident, role=Membership.Role.EDITOR
    )
    registration = service.registration_create(user=volunteer(), shift=shift)
    cancelled = service.registration_cancel(user=registration.user, registration=registration)
    assert cancelled.late_cancellation
    assert Notification.objects.filter(user=resident, kind="late_cancellation").exists()


def test_approve_and_decline(coordinator):
    shift = ShiftFactory(capacity=1, requires_approval=True)
    pending = service.registration_create(user=volunteer(), shift=shift)
    waiting = service.registration_create(user=volunteer(), shift=shift)
    with pytest.raises(DomainError):
        service.registration_decline(actor=coordinator, registration=pending, reason="")
    service.registration_decline(actor=coordinator, registration=pending, reason="Нужен опыт")
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == S.DECLINED
    assert waiting.status == S.OFFERED
    accepted = service.registration_accept_offer(user=waiting.user, registration=waiting)
    assert accepted.status == S.PENDING_APPROVAL
    assert (
        service.registration_approve(actor=coordinator, registration=accepted).status == S.CONFIRMED
    )
    with pytest.raises(InvalidTransition):
        service.registration_approve(actor=coordinator, registration=accepted)


# --- offers are honest in time (issue 11 §5) -------------------------------------------------


def test_a_place_freed_30_minutes_into_the_shift_is_offered_to_nobody(
    full_shift, freeze_now, coordinator
):
    shift, holder, first, second = full_shift
    freeze_now(shift.starts_at + timedelta(minutes=30))
    # The volunteer can no longer cancel once the shift has started; the organiser can
    # still add a place.
    with pytest.raises(InvalidTransition):
        service.registration_cancel(user=holder.user, registration=holder)
    shift_update(actor=coordinator, shift=shift, fields={"capacity": shift.capacity + 1})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.WAITLISTED, S.WAITLISTED)
    assert not Notification.objects.filter(kind="waitlist_offer").exists()


def test_an_offer_made_shortly_before_the_start_expires_when_the_shift_starts(
    full_shift, freeze_now, settings
):
    shift, holder, first, _second = full_shift
    settings.DOBRY_WAITLIST_OFFER_HOURS = 24
    freeze_now(shift.starts_at - timedelta(hours=2))
    service.registration_cancel(user=holder.user, registration=holder)
    first.refresh_from_db()
    assert first.status == S.OFFERED
    assert first.offer_expires_at == shift.starts_at


def test_accepting_an_offer_after_the_shift_ended_is_refused(full_shift, freeze_now):
    shift, holder, first, _second = full_shift
    freeze_now(shift.starts_at - timedelta(hours=2))
    service.registration_cancel(user=holder.user, registration=holder)
    freeze_now(shift.ends_at + timedelta(minutes=5))
    with pytest.raises(InvalidTransition, match="недействительно"):
        service.registration_accept_offer(user=first.user, registration=first)
    first.refresh_from_db()
    assert first.status == S.OFFERED  # the expiry job closes it


def test_an_offer_with_no_time_limit_is_still_refused_once_the_shift_started(
    full_shift, freeze_now
):
    shift, holder, first, _second = full_shift
    service.registration_cancel(user=holder.user, registration=holder)
    Registration.objects.filter(pk=first.pk).update(offer_expires_at=None)
    freeze_now(shift.starts_at + timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="недействительно"):
        service.registration_accept_offer(user=first.user, registration=first)


def test_accepting_at_the_last_moment_before_the_start_works(full_shift, freeze_now):
    shift, holder, first, _second = full_shift
    freeze_now(shift.starts_at - timedelta(hours=2))
    service.registration_cancel(user=holder.user, registration=holder)
    freeze_now(shift.starts_at - timedelta(seconds=1))
    accepted = service.registration_accept_offer(user=first.user, registration=first)
    assert accepted.status == S.CONFIRMED


def test_expired_offers_after_the_start_pass_to_nobody(full_shift, freeze_now):
    shift, holder, first, second = full_shift
    freeze_now(shift.starts_at - timedelta(hours=2))
    service.registration_cancel(user=holder.user, registration=holder)
    freeze_now(shift.starts_at + timedelta(minutes=1))
    assert service.offers_expire() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.OFFER_EXPIRED, S.WAITLISTED)


def test_a_larger_capacity_after_the_start_offers_nothing(full_shift, freeze_now, coordinator):
    shift, _holder, first, _second = full_shift
    freeze_now(shift.starts_at + timedelta(minutes=10))
    shift_update(actor=coordinator, shift=shift, fields={"capacity": 3})
    first.refresh_from_db()
    assert first.status == S.WAITLISTED


@pytest.mark.django_db(transaction=True)
def test_a_late_cancellation_alerts_the_organisers_after_the_capacity_lock_is_released(
    monkeypatch,
):
    """Only counting and writing happen under the lock; notify() (rendering, email rows)
    runs once the capacity transaction has committed."""
    from django.db import connection

    shift = ShiftFactory(
        starts_at=timezone.now() + timedelta(hours=5), event__cancellation_deadline_hours=24
    )
    registration = service.registration_create(user=volunteer(), shift=shift)
    seen = []
    monkeypatch.setattr(
        service, "notify", lambda *args, **kwargs: seen.append(connection.in_atomic_block)
    )
    cancelled = service.registration_cancel(user=registration.user, registration=registration)
    assert cancelled.late_cancellation
    assert seen == [False]
