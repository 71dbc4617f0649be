"""«Подходит мне»: the one definition of a shift that suits a volunteer, used by the event
list's tick (`selectors.filtered_events`, `GET /api/v1/events?suits_me=true`) and by the
ranking of `/events/for-me/` (`recommendations.suggestions`, `GET /api/v1/me/recommendations`).

A shift suits a person when

- they may take it by age on the shift's day — the signup rules' limits (`rules.MINOR_AGE`;
  `rules.ADULT_AGE` unless the shift is open to minors; the shift's own minimum age). While
  the profile has no date of birth, age limits hide nothing (signing up asks for it);
- they hold every qualification the shift asks for, valid on its last day (as signing up
  requires);
- and at least one thing of their profile matches (`Wishes`): an area of interest of the
  event, one of their districts, a cell of the week they are free in, or one of their skills
  named in the shift or the event. A profile with none of these suits nothing.

What a person must still do before signing up (a minor's parent's consent, a group's
adult) is the signup rules' business (`rules.refusals`), not a reason to hide a shift.

The database filter (`suiting_shifts`) and the reasons shown to the person (`reasons`) read
the same rules; `tests/test_suits_me.py` holds them together. Whether a shift still has
places, starts later or is already the person's is the for-me list's own concern, not part
of «suits me».
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    TruncDate,
)
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.clock import city_zone, local_time
from dobry.core.search import fold_for_search
from dobry.events.models import EventArea, Shift, ShiftQuerySet
from dobry.events.rules import ADULT_AGE, MINOR_AGE
from dobry.organizations.areas import Area
from dobry.volunteering.models import AVAILABILITY_DAYS, VolunteerProfile, VolunteerQualification

# Parts of the day of the profile's cells of the week: hours [from, to) in the city's time.
PARTS_OF_DAY = {"morning": (0, 12), "day": (12, 17), "evening": (17, 24)}
# Skills are the profile's comma-separated words; shorter ones («и», «пк») match too much.
SHORTEST_SKILL = 4
MOST_SKILLS = 20

AREA, DISTRICT, FREE_TIME, SKILLS = "area", "district", "free_time", "skills"
# How much each kind of match weighs in the for-me ranking.
WEIGHTS = {AREA: 3, DISTRICT: 2, FREE_TIME: 2, SKILLS: 1}


@dataclass(frozen=True)
class Wishes:
    """What of a volunteer profile «suits me» reads."""

    user_id: int
    born: date | None
    interests: tuple[str, ...]
    districts: dict[int, str]
    availability: frozenset[str]
    skills: tuple[str, ...]

    @property
    def anything(self) -> bool:
        return bool(self.interests or self.districts or self.availability or self.skills)


def wishes_of(profile: VolunteerProfile) -> Wishes:
    """The profile's wishes; its districts are best prefetched."""
    skills = [fold_for_search(s.strip()) for s in profile.skills.split(",")]
    return Wishes(
        user_id=profile.user_id,
        born=profile.date_of_birth,
        interests=tuple(a for a in profile.interests or [] if a in Area.values),
        districts={d.pk: d.name for d in profile.districts.all()},
        availability=frozenset(profile.availability or []),
        skills=tuple(dict.fromkeys(s for s in skills if len(s) >= SHORTEST_SKILL))[:MOST_SKILLS],
    )


def wishes_for(user: User) -> Wishes | None:
    """The person's wishes, None without a volunteer profile (one query and its districts)."""
    profile = VolunteerProfile.objects.filter(user=user).prefetch_related("districts").first()
    return None if profile is None else wishes_of(profile)


# --- the database side -------------------------------------------------------------------


def suiting_shifts(shifts: ShiftQuerySet, wishes: Wishes) -> ShiftQuerySet:
    """`shifts` that suit the person (the module's definition), as one filter."""
    if not wishes.anything:
        return shifts.none()
    zone = city_zone()
    shifts = shifts.alias(
        _weekday=ExtractIsoWeekDay("starts_at", tzinfo=zone),
        _hour=ExtractHour("starts_at", tzinfo=zone),
    )
    shifts = shifts.filter(_qualified(wishes.user_id), _matching(wishes))
    if wishes.born is not None:
        shifts = shifts.filter(_old_enough(wishes.born))
    return shifts


def _old_enough(born: date) -> GreaterThanOrEqual:
    """Age on the shift's day ≥ its required age. A date as the number YYYYMMDD: the age on
    day D of a person born on B is ⌊(D − B) / 10000⌋, so «age ≥ N» is «D − B ≥ N·10000»."""
    zone = city_zone()
    day = (
        ExtractYear("starts_at", tzinfo=zone) * 10000
        + ExtractMonth("starts_at", tzinfo=zone) * 100
        + ExtractDay("starts_at", tzinfo=zone)
    )
    required = Greatest(
        Coalesce("min_age", Value(0)),
        Case(When(open_to_minors=True, then=Value(MINOR_AGE)), default=Value(ADULT_AGE)),
    )
    born_number = born.year * 10000 + born.month * 100 + born.day
    return GreaterThanOrEqual(day - Value(born_number), required * 10000)


def _qualified(user_id: int) -> Q:
    """No qualification the shift asks for is missing, or out of date on its last day."""
    held = VolunteerQualification.objects.filter(
        user_id=user_id, qualification_id=OuterRef("qualification_id")
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("last_day")))
    missing = (
        Shift.qualifications.through.objects.filter(shift_id=OuterRef("pk"))
        .annotate(last_day=TruncDate("shift__ends_at", tzinfo=city_zone()))
        .filter(~Exists(held))
    )
    return ~Q(Exists(missing))


def _matching(wishes: Wishes) -> Q:
    """At least one thing of the profile matches (needs the `_weekday` and `_hour` aliases)."""
    condition = Q()
    if wishes.interests:
        areas = EventArea.objects.filter(event_id=OuterRef("event_id"), area__in=wishes.interests)
        condition |= Q(Exists(areas))
    if wishes.districts:
        condition |= Q(event__district__in=list(wishes.districts))
    for cell in sorted(wishes.availability):
        day, _sep, part = cell.partition("-")
        if day in AVAILABILITY_DAYS and part in PARTS_OF_DAY:
            start, end = PARTS_OF_DAY[part]
            condition |= Q(
                _weekday=AVAILABILITY_DAYS.index(day) + 1, _hour__gte=start, _hour__lt=end
            )
    for skill in wishes.skills:
        condition |= Q(search_text__contains=skill) | Q(event__search_text__contains=skill)
    return condition


# --- the reasons shown -------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str

    @property
    def weight(self) -> int:
        return WEIGHTS[self.kind]


def slot_at(moment: datetime) -> str:
    """The cell of the week a moment falls in, as the profile names it: «sat-morning»."""
    local = local_time(moment)
    part = next(name for name, (start, end) in PARTS_OF_DAY.items() if start <= local.hour < end)
    return f"{AVAILABILITY_DAYS[local.weekday()]}-{part}"


def slot_of(shift: Shift) -> str:
    """The cell of the week the shift starts in."""
    return slot_at(shift.starts_at)


def reasons(shift: Shift, wishes: Wishes) -> list[Reason]:
    """Why the shift matches the profile, in the person's words — the same tests as
    `_matching`. The shift needs its event, with `area_links`, loaded."""
    found = []
    areas = [link.area for link in shift.event.area_links.all() if link.area in wishes.interests]
    if areas:
        names = ", ".join(str(Area(a).label) for a in areas)
        found.append(Reason(AREA, _("совпадает с вашими интересами: %(areas)s") % {"areas": names}))
    if shift.event.district_id in wishes.districts:
        name = wishes.districts[shift.event.district_id]
        found.append(Reason(DISTRICT, _("в удобном районе: %(name)s") % {"name": name}))
    if slot_of(shift) in wishes.availability:
        found.append(Reason(FREE_TIME, _("в ваше свободное время")))
    used = [s for s in wishes.skills if s in shift.search_text or s in shift.event.search_text]
    if used:
        skills = ", ".join(used)
        found.append(Reason(SKILLS, _("пригодятся ваши навыки: %(skills)s") % {"skills": skills}))
    return found
