"""The signup rules read dates on the city's clock (Krasnoyarsk, UTC+7): a person's age and
a qualification's validity are taken on the local day of the shift, which for a shift
before 07:00 local is the day after its UTC date."""

from datetime import date, time, timedelta

import pytest

from dobry.core.clock import local_moment
from dobry.events import rules
from dobry.events.models import Registration, Shift
from dobry.events.services import registrations as signup
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.volunteering.models import Qualification, VolunteerProfile, VolunteerQualification

pytestmark = pytest.mark.django_db

BIRTHDAY = date(2026, 6, 15)  # the day the person below turns 18
MINORS_REFUSED = "На эту смену не записывают несовершеннолетних."
CONSENT_NEEDED = "Нужно согласие родителя: попросите координатора отметить его в вашем профиле."


@pytest.fixture(autouse=True)
def _before_the_shifts(freeze_now):
    freeze_now(local_moment(date(2026, 6, 1), time(12, 0)))


def shift_at(day, at, hours=3, **kwargs):
    start = local_moment(day, at)
    shift = ShiftFactory(starts_at=start, ends_at=start + timedelta(hours=hours), **kwargs)
    return Shift.objects.get(pk=shift.pk)  # as services see it: moments in UTC


def reasons(user, shift, **kwargs):
    fields = {"seats": 1, "group": Registration.Group.INDIVIDUAL, "minors_in_group": 0}
    return rules.refusals(user=user, shift=shift, **(fields | kwargs))


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        # 00:30 local on the birthday is 17:30 UTC the day before: already 18
        (BIRTHDAY, time(0, 30), []),
        (BIRTHDAY, time(6, 0), []),
        (BIRTHDAY - timedelta(days=1), time(23, 30), [MINORS_REFUSED]),
        (BIRTHDAY - timedelta(days=1), time(6, 0), [MINORS_REFUSED]),
    ],
)
def test_a_person_is_an_adult_from_the_local_day_of_their_18th_birthday(day, at, expected):
    person = volunteer(born=date(2008, 6, 15))
    assert reasons(person, shift_at(day, at)) == expected


@pytest.mark.parametrize(
    ("born", "consent", "expected"),
    [
        (date(2010, 6, 15), True, []),  # 16 today, on a shift open to minors, with consent
        (date(2010, 6, 15), False, [CONSENT_NEEDED]),
        (date(2010, 6, 16), True, ["На эту смену записывают с 16 лет."]),  # 16 tomorrow
        (
            date(2012, 6, 15),
            True,
            [  # 14: the shift's own minimum is higher
                "На эту смену записывают с 16 лет."
            ],
        ),
    ],
)
def test_a_minimum_age_is_met_on_the_local_day_of_the_shift(coordinator, born, consent, expected):
    person = volunteer(born=born)
    if consent:
        VolunteerProfile.objects.filter(user=person).update(
            parental_consent_by="Иванова М. П.", parental_consent_at=local_moment(BIRTHDAY, time(0))
        )
    shift = shift_at(BIRTHDAY, time(0, 30), min_age=16, open_to_minors=True)
    assert reasons(person, shift) == expected


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (date(2012, 6, 15), []),  # 14 on the day: may come with a consent
        (
            date(2012, 6, 16),  # 13 on the day
            ["Дети до 14 лет участвуют только вместе со взрослым: пусть он запишет семью."],
        ),
    ],
)
def test_fourteen_is_the_youngest_age_to_sign_up_alone(born, expected):
    person = volunteer(born=born)
    VolunteerProfile.objects.filter(user=person).update(
        parental_consent_by="Иванова М. П.", parental_consent_at=local_moment(BIRTHDAY, time(0))
    )
    shift = shift_at(BIRTHDAY, time(6, 0), open_to_minors=True)
    assert reasons(person, shift) == expected


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (None, []),
        # the shift ends at 00:30 local on the 15th (17:30 UTC on the 14th)
        (date(2026, 6, 15), []),
        (date(2026, 6, 14), ["Нужна действующая квалификация: Медицинская книжка."]),
    ],
)
def test_a_qualification_must_be_valid_on_the_local_day_the_shift_ends(valid_until, expected):
    book = Qualification.objects.create(name="Медицинская книжка", slug="medbook", expires=True)
    person = volunteer()
    VolunteerQualification.objects.create(user=person, qualification=book, valid_until=valid_until)
    shift = shift_at(date(2026, 6, 14), time(21, 30))  # 21:30 → 00:30 the next local day
    shift.qualifications.add(book)
    assert reasons(person, shift) == expected


def test_every_required_qualification_missing_is_named():
    person = volunteer()
    shift = shift_at(BIRTHDAY, time(10, 0))
    for slug, name in (("medbook", "Медицинская книжка"), ("driver", "Права категории B")):
        shift.qualifications.add(Qualification.objects.create(name=name, slug=slug))
    assert reasons(person, shift) == [
        "Нужна действующая квалификация: Медицинская книжка.",
        "Нужна действующая квалификация: Права категории B.",
    ]


@pytest.mark.parametrize(
    ("other_start", "other_hours", "overlaps"),
    [
        (time(21, 0), 3, True),  # 21:00–00:00 overlaps 23:00–02:00
        (time(18, 0), 5, False),  # 18:00–23:00 ends as the shift starts
        (time(1, 59), 1, True),  # on the next local day, still inside the shift
    ],
)
def test_an_overlap_is_found_across_local_midnight(other_start, other_hours, overlaps):
    person = volunteer()
    night = shift_at(BIRTHDAY, time(23, 0))
    other_day = BIRTHDAY + timedelta(days=1) if other_start < time(12, 0) else BIRTHDAY
    other = shift_at(other_day, other_start, hours=other_hours)
    signup.registration_create(user=person, shift=other)
    expected = ["В это время у вас уже есть другая смена."] if overlaps else []
    assert reasons(person, night) == expected


def test_a_cancelled_registration_does_not_block_an_overlapping_shift():
    person = volunteer()
    first = shift_at(BIRTHDAY, time(10, 0))
    registration = signup.registration_create(user=person, shift=first)
    signup.registration_cancel(user=person, registration=registration)
    assert reasons(person, shift_at(BIRTHDAY, time(11, 0))) == []


@pytest.mark.parametrize(
    ("minutes_before", "refused"),
    [(1, False), (0, True), (-30, True)],
)
def test_a_shift_takes_signups_until_the_minute_it_starts(freeze_now, minutes_before, refused):
    shift = shift_at(BIRTHDAY, time(0, 30))
    freeze_now(shift.starts_at - timedelta(minutes=minutes_before))
    assert ("Смена уже началась." in reasons(volunteer(), shift)) is refused
