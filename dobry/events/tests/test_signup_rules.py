from datetime import date, timedelta

import pytest
from django.utils import timezone

from dobry.communications.models import Notification
from dobry.core.errors import DomainError
from dobry.events.models import Event, Registration
from dobry.events.services.registrations import SignupRefused, registration_create
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.volunteering.models import Qualification, VolunteerProfile, VolunteerQualification

S = Registration.Status
pytestmark = pytest.mark.django_db


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def test_signup_confirms_while_places_last_then_waitlists():
    shift = ShiftFactory(capacity=2)
    first, second, third = volunteer(), volunteer(), volunteer()
    assert registration_create(user=first, shift=shift).status == S.CONFIRMED
    assert registration_create(user=second, shift=shift).status == S.CONFIRMED
    assert registration_create(user=third, shift=shift).status == S.WAITLISTED
    assert Notification.objects.filter(user=third, kind="registration_waitlisted").exists()
    assert Notification.objects.filter(user=first, kind="registration_confirmed").exists()


def test_no_double_registration():
    shift = ShiftFactory()
    person = volunteer()
    registration_create(user=person, shift=shift)
    with pytest.raises(SignupRefused, match="уже записаны"):
        registration_create(user=person, shift=shift)
    assert Registration.objects.filter(user=person).count() == 1


def test_overlapping_shifts_are_refused_but_adjacent_ones_are_fine():
    person = volunteer()
    morning = ShiftFactory()
    overlapping = ShiftFactory(starts_at=morning.starts_at + timedelta(hours=1))
    adjacent = ShiftFactory(starts_at=morning.ends_at)
    registration_create(user=person, shift=morning)
    with pytest.raises(SignupRefused, match="другая смена"):
        registration_create(user=person, shift=overlapping)
    assert registration_create(user=person, shift=adjacent).status == S.CONFIRMED


def test_approval_shifts_hold_the_place_pending():
    shift = ShiftFactory(capacity=1, requires_approval=True)
    first = registration_create(user=volunteer(), shift=shift)
    assert first.status == S.PENDING_APPROVAL
    assert registration_create(user=volunteer(), shift=shift).status == S.WAITLISTED


def test_unpublished_cancelled_and_started_shifts_take_nobody():
    draft = ShiftFactory(event__status=Event.Status.DRAFT)
    cancelled = ShiftFactory(event__status=Event.Status.CANCELLED)
    started = ShiftFactory(starts_at=timezone.now() - timedelta(minutes=5))
    for shift in (draft, cancelled, started):
        with pytest.raises(SignupRefused):
            registration_create(user=volunteer(), shift=shift)


def test_birth_date_is_needed_to_sign_up(resident):
    with pytest.raises(SignupRefused, match="дату рождения"):
        registration_create(user=resident, shift=ShiftFactory())


def test_minimum_age_is_enforced():
    shift = ShiftFactory(min_age=18, open_to_minors=True)
    with pytest.raises(SignupRefused, match="с 18 лет"):
        registration_create(user=volunteer(born=years_ago(17)), shift=shift)
    assert (
        registration_create(user=volunteer(born=years_ago(18)), shift=shift).status == S.CONFIRMED
    )


def test_minors_need_a_shift_open_to_them_and_a_parents_consent(coordinator):
    teen = volunteer(born=years_ago(15))
    closed = ShiftFactory(open_to_minors=False)
    with pytest.raises(SignupRefused, match="несовершеннолетних"):
        registration_create(user=teen, shift=closed)
    open_shift = ShiftFactory(open_to_minors=True)
    with pytest.raises(SignupRefused, match="согласие родителя"):
        registration_create(user=teen, shift=open_shift)
    VolunteerProfile.objects.filter(user=teen).update(
        parental_consent_by="Иванова Мария Петровна",
        parental_consent_at=timezone.now(),
        parental_consent_recorded_by=coordinator,
    )
    assert registration_create(user=teen, shift=open_shift).status == S.CONFIRMED


def test_children_under_fourteen_only_come_with_an_adult_in_a_group():
    child = volunteer(born=years_ago(12))
    shift = ShiftFactory(open_to_minors=True, capacity=10)
    with pytest.raises(SignupRefused, match="до 14 лет"):
        registration_create(user=child, shift=shift)
    parent = volunteer()
    family = registration_create(
        user=parent, shift=shift, seats=3, group=Registration.Group.FAMILY, minors_in_group=2
    )
    assert family.status == S.CONFIRMED
    assert shift.registrations.holding_place().seats() == 3


def test_a_group_needs_an_adult_and_a_shift_open_to_minors():
    shift = ShiftFactory(open_to_minors=False)
    with pytest.raises(SignupRefused, match="несовершеннолетних"):
        registration_create(
            user=volunteer(), shift=shift, seats=3, group="family", minors_in_group=1
        )
    with pytest.raises(SignupRefused, match="взрослый"):
        registration_create(
            user=volunteer(),
            shift=ShiftFactory(open_to_minors=True),
            seats=2,
            group="school_class",
            minors_in_group=2,
        )


def test_an_individual_entry_is_one_seat_and_group_size_is_bounded():
    with pytest.raises(SignupRefused, match="одно место"):
        registration_create(user=volunteer(), shift=ShiftFactory(), seats=2)
    with pytest.raises(DomainError, match="от 1 до 40"):
        registration_create(user=volunteer(), shift=ShiftFactory(), seats=41, group="corporate")


def test_a_group_takes_its_places_at_once_or_waits_whole():
    shift = ShiftFactory(capacity=5)
    registration_create(user=volunteer(), shift=shift, seats=3, group="corporate", group_name="ГХК")
    team = registration_create(user=volunteer(), shift=shift, seats=3, group="corporate")
    assert team.status == S.WAITLISTED
    assert shift.registrations.holding_place().seats() == 3


def test_required_qualifications_must_be_valid_on_the_day():
    medbook = Qualification.objects.create(name="Медицинская книжка", slug="medbook", expires=True)
    shift = ShiftFactory()
    shift.qualifications.add(medbook)
    person = volunteer()
    with pytest.raises(SignupRefused, match="Медицинская книжка"):
        registration_create(user=person, shift=shift)
    held = VolunteerQualification.objects.create(
        user=person, qualification=medbook, valid_until=timezone.localdate()
    )
    with pytest.raises(SignupRefused, match="Медицинская книжка"):
        registration_create(user=person, shift=shift)  # expires before the shift
    held.valid_until = shift.ends_at.date() + timedelta(days=30)
    held.save()
    assert registration_create(user=person, shift=shift).status == S.CONFIRMED


def test_every_reason_is_given_at_once():
    shift = ShiftFactory(min_age=18, open_to_minors=False)
    shift.qualifications.add(Qualification.objects.create(name="Права категории B", slug="b"))
    with pytest.raises(SignupRefused) as refused:
        registration_create(user=volunteer(born=years_ago(16)), shift=shift)
    assert len(refused.value.reasons) == 3
