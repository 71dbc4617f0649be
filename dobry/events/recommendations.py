"""«Подходит мне»: upcoming shifts that suit a volunteer (`suitability`: age, qualifications,
and at least one match of interests, districts, free time or skills), ranked by how much
matches, each with the reasons shown to the person."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.events.models import Event, Registration, Shift
from dobry.events.suitability import Wishes, reasons, suiting_shifts, wishes_for

CANDIDATES = 300
# How many shifts «Подходит мне» shows, on the page and in the API alike.
LIMIT = 20
# A shift this close ranks a little higher — among those that suit, never instead.
SOON = timedelta(days=7)


@dataclass
class Recommendation:
    shift: Shift
    score: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass
class Suggestions:
    """What «Подходит мне» shows: the best shifts, and whether the person has a volunteer
    profile at all (without one the page asks them to fill it in)."""

    has_profile: bool
    recommendations: list[Recommendation]


def suggestions(user: User, limit: int = LIMIT) -> Suggestions:
    """«Подходит мне» for the page and `GET /api/v1/me/recommendations` alike."""
    wishes = wishes_for(user)
    if wishes is None:
        return Suggestions(has_profile=False, recommendations=[])
    return Suggestions(has_profile=True, recommendations=_recommend(wishes, limit))


def recommend(user: User, limit: int = LIMIT) -> list[Recommendation]:
    """Upcoming shifts with free places that suit `user`, best first, with reasons; none
    without a volunteer profile."""
    wishes = wishes_for(user)
    return [] if wishes is None else _recommend(wishes, limit)


def _recommend(wishes: Wishes, limit: int) -> list[Recommendation]:
    """The first `CANDIDATES` suiting shifts by date that the person has not signed up for
    and that have free places, ranked by what matches (`suitability.WEIGHTS`); a shift in
    the next `SOON` gets a point more, so it ranks above an equal one later."""
    now = timezone.now()
    mine = Registration.objects.filter(user_id=wishes.user_id, status__in=Registration.ACTIVE)
    candidates = Shift.objects.filter(event__in=Event.objects.public(), starts_at__gt=now).exclude(
        pk__in=mine.values("shift_id")
    )
    shifts = (
        suiting_shifts(candidates, wishes)
        .with_taken()
        .select_related("event__district", "event__organization")
        .prefetch_related(Prefetch("event__area_links"))
        .order_by("starts_at", "pk")[:CANDIDATES]
    )
    results = []
    for shift in shifts:
        found = reasons(shift, wishes)
        if shift.free_places <= 0 or not found:
            continue
        rec = Recommendation(shift, sum(r.weight for r in found), [r.text for r in found])
        if shift.starts_at - now < SOON:
            rec.score += 1
            rec.reasons.append(_("уже на этой неделе"))
        results.append(rec)
    results.sort(key=lambda r: (-r.score, r.shift.starts_at))
    return results[:limit]
