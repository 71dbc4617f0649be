"""Who gets a freed place: every way a place frees (cancel, decline, more capacity, an
expired offer) offers it to the waiting line in order; moves that free nothing offer
nothing; and racing group signups never take more seats than the shift has."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.models import Notification
from dobry.events.models import Registration, Shift
from dobry.events.services import registrations as signup
from dobry.events.services.events import event_cancel, shift_update
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.events.tests.test_concurrency import race, unguarded

S = Registration.Status


def statuses(*registrations):
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


def line(shift, count):
    return [signup.registration_create(user=volunteer(), shift=shift) for _ in range(count)]


@pytest.mark.django_db
def test_declining_a_pending_signup_offers_its_place_to_the_first_in_line(coordinator):
    shift = ShiftFactory(capacity=1, requires_approval=True)
    pending, first, second = line(shift, 3)
    assert statuses(pending, first, second) == [S.PENDING_APPROVAL, S.WAITLISTED, S.WAITLISTED]
    signup.registration_decline(actor=coordinator, registration=pending, reason="Нужен опыт")
    assert statuses(pending, first, second) == [S.DECLINED, S.OFFERED, S.WAITLISTED]


@pytest.mark.django_db
def test_an_accepted_offer_on_a_shift_with_approval_waits_for_the_organiser():
    shift = ShiftFactory(capacity=1, requires_approval=True)
    holder, waiting = line(shift, 2)
    signup.registration_cancel(user=holder.user, registration=holder)
    accepted = signup.registration_accept_offer(user=waiting.user, registration=waiting)
    assert (accepted.status, accepted.decided_at) == (S.PENDING_APPROVAL, None)
    assert not Notification.objects.filter(user=waiting.user, kind="registration_confirmed")


@pytest.mark.django_db
def test_declining_someone_on_the_waiting_list_offers_nothing_to_others(coordinator):
    shift = ShiftFactory(capacity=1)
    _holder, first, second = line(shift, 3)
    signup.registration_decline(actor=coordinator, registration=first, reason="Не подходит")
    assert statuses(first, second) == [S.DECLINED, S.WAITLISTED]


@pytest.mark.django_db
def test_leaving_the_waiting_list_late_is_not_a_late_cancellation():
    shift = ShiftFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=2))
    _holder, first, second = line(shift, 3)
    left = signup.registration_cancel(user=first.user, registration=first)
    assert (left.status, left.late_cancellation) == (S.CANCELLED, False)
    assert statuses(second) == [S.WAITLISTED]
    assert not Notification.objects.filter(kind="late_cancellation").exists()


@pytest.mark.django_db
def test_two_more_places_go_to_the_next_two_in_line(coordinator):
    shift = ShiftFactory(capacity=1)
    _holder, first, second, third = line(shift, 4)
    shift_update(actor=coordinator, shift=shift, fields={"capacity": 3})
    assert statuses(first, second, third) == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert Notification.objects.filter(kind="waitlist_offer").count() == 2


@pytest.mark.django_db
def test_expired_offers_on_several_shifts_each_pass_on():
    shifts = [ShiftFactory(capacity=1), ShiftFactory(capacity=1)]
    offered, following = [], []
    for shift in shifts:
        holder, first, second = line(shift, 3)
        signup.registration_cancel(user=holder.user, registration=holder)
        offered.append(first)
        following.append(second)
    Registration.objects.filter(status=S.OFFERED).update(
        offer_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert signup.offers_expire() == 2
    assert statuses(*offered) == [S.OFFER_EXPIRED, S.OFFER_EXPIRED]
    assert statuses(*following) == [S.OFFERED, S.OFFERED]
    assert signup.offers_expire() == 0  # the new offers still have their time


@pytest.mark.django_db
def test_an_offer_is_only_the_offered_persons_to_accept():
    shift = ShiftFactory(capacity=1)
    holder, waiting = line(shift, 2)
    signup.registration_cancel(user=holder.user, registration=holder)
    with pytest.raises(signup.DomainError):
        signup.registration_accept_offer(user=holder.user, registration=waiting)
    assert statuses(waiting) == [S.OFFERED]


@pytest.mark.django_db
def test_an_offered_place_is_held_against_new_signups():
    shift = ShiftFactory(capacity=1)
    holder, waiting = line(shift, 2)
    signup.registration_cancel(user=holder.user, registration=holder)
    newcomer = signup.registration_create(user=volunteer(), shift=shift)
    assert (statuses(waiting), newcomer.status) == ([S.OFFERED], S.WAITLISTED)


@pytest.mark.django_db
def test_cancelling_the_event_releases_the_waiting_and_the_offered(coordinator):
    shift = ShiftFactory(capacity=1)
    holder, offered, waiting = line(shift, 3)
    signup.registration_cancel(user=holder.user, registration=holder)
    event_cancel(actor=coordinator, event=shift.event, reason="Штормовое предупреждение")
    assert statuses(offered, waiting) == [S.CANCELLED, S.CANCELLED]
    told = Notification.objects.filter(kind="event_cancelled").values_list("user", flat=True)
    assert set(told) == {offered.user_id, waiting.user_id}


@pytest.mark.django_db
def test_a_place_is_not_offered_for_a_cancelled_event(coordinator):
    shift = ShiftFactory(capacity=1)
    holder, waiting = line(shift, 2)
    event_cancel(actor=coordinator, event=shift.event, reason="Отмена")
    assert statuses(holder, waiting) == [S.CANCELLED, S.CANCELLED]
    with pytest.raises(signup.SignupRefused):
        signup.registration_create(user=volunteer(), shift=Shift.objects.get(pk=shift.pk))


# --- racing groups -----------------------------------------------------------------------

GROUPS = 12
GROUP_SEATS = 3
PLACES = 10
WORKERS = 8


def race_groups(monkeypatch, shift):
    """GROUPS families of three sign up for the shift from WORKERS threads at once."""
    return race(
        monkeypatch,
        shift,
        people=GROUPS,
        workers=WORKERS,
        seats=GROUP_SEATS,
        group=Registration.Group.FAMILY,
    )


def taken_seats(shift):
    return Registration.objects.filter(shift=shift).holding_place().seats()


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_racing_families_take_three_whole_groups_of_ten_places(monkeypatch):
    shift = ShiftFactory(capacity=PLACES)
    assert race_groups(monkeypatch, shift) == []
    assert taken_seats(shift) == 9  # a fourth family of three does not fit in the last place
    assert Registration.objects.filter(shift=shift, status=S.WAITLISTED).count() == GROUPS - 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_without_the_lock_racing_families_overbook(monkeypatch):
    monkeypatch.setattr(signup, "capacity_guard", unguarded)
    shift = ShiftFactory(capacity=PLACES)
    race_groups(monkeypatch, shift)
    assert taken_seats(shift) > PLACES
