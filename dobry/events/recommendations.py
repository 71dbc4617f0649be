"""«Подходит мне»: upcoming shifts ranked by a volunteer's interests, districts, free time
and skills, each with the reasons shown to the person."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.clock import local_time
from dobry.events.models import Event, Registration, Shift
from dobry.organizations.areas import Area
from dobry.volunteering.models import VolunteerProfile

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CANDIDATES = 300
# How many shifts «Подходит мне» shows, on the page and in the API alike.
LIMIT = 20


@dataclass
class Recommendation:
    shift: Shift
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def part_of_day(hour: int) -> str:
    if hour < 12:
        return "morning"
    if hour < 17:
        return "day"
    return "evening"


def _slot(shift: Shift) -> str:
    local = local_time(shift.starts_at)
    return f"{WEEKDAYS[local.weekday()]}-{part_of_day(local.hour)}"


@dataclass
class Suggestions:
    """What «Подходит мне» shows: the best shifts, and whether the person has a volunteer
    profile at all (without one the page asks them to fill it in)."""

    has_profile: bool
    recommendations: list[Recommendation]


def suggestions(user: User, limit: int = LIMIT) -> Suggestions:
    """«Подходит мне» for the page and `GET /api/v1/me/recommendations` alike."""
    profile = _profile(user)
    if profile is None:
        return Suggestions(has_profile=False, recommendations=[])
    return Suggestions(has_profile=True, recommendations=_recommend(user, profile, limit))


def recommend(user: User, limit: int = LIMIT) -> list[Recommendation]:
    """Upcoming shifts with free places that `user` may take, best first, with reasons;
    none without a volunteer profile."""
    profile = _profile(user)
    return [] if profile is None else _recommend(user, profile, limit)


def _profile(user: User) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(user=user).prefetch_related("districts").first()


def _recommend(user: User, profile: VolunteerProfile, limit: int) -> list[Recommendation]:
    now = timezone.now()
    age = profile.age()
    interests = set(profile.interests or [])
    districts = {d.pk: d.name for d in profile.districts.all()}
    availability = set(profile.availability or [])
    skills = [s.strip().casefold() for s in profile.skills.split(",") if len(s.strip()) > 3]
    mine = Registration.objects.filter(user=user, status__in=Registration.ACTIVE).values("shift_id")
    shifts = (
        Shift.objects.filter(event__in=Event.objects.public(), starts_at__gt=now)
        .exclude(pk__in=mine)
        .with_taken()
        .select_related("event__district", "event__organization")
        .prefetch_related(Prefetch("event__area_links"))
        .order_by("starts_at")[:CANDIDATES]
    )
    results = []
    for shift in shifts:
        if shift.free_places <= 0 or not _may_take(shift, age):
            continue
        rec = Recommendation(shift)
        matched = [link.area for link in shift.event.area_links.all() if link.area in interests]
        if matched:
            rec.score += 3
            rec.reasons.append(
                _("совпадает с вашими интересами: %(areas)s")
                % {"areas": ", ".join(str(Area(a).label) for a in matched)}
            )
        if shift.event.district_id in districts:
            rec.score += 2
            rec.reasons.append(
                _("в удобном районе: %(name)s") % {"name": districts[shift.event.district_id]}
            )
        if _slot(shift) in availability:
            rec.score += 2
            rec.reasons.append(_("в ваше свободное время"))
        text = f"{shift.title} {shift.tasks} {shift.event.title}".casefold()
        used = [skill for skill in skills if skill in text]
        if used:
            rec.score += 1
            rec.reasons.append(
                _("пригодятся ваши навыки: %(skills)s") % {"skills": ", ".join(used)}
            )
        if rec.score == 0:
            continue  # nothing of the profile matches: being soon is no reason by itself
        if shift.starts_at - now < timedelta(days=7):
            rec.score += 1
            rec.reasons.append(_("уже на этой неделе"))
        results.append(rec)
    results.sort(key=lambda r: (-r.score, r.shift.starts_at))
    return results[:limit]


def _may_take(shift: Shift, age: int | None) -> bool:
    if age is None:
        return True
    if shift.min_age and age < shift.min_age:
        return False
    return age >= 18 or shift.open_to_minors
