"""Candidates for a help request: volunteers ranked by a score with the reasons shown to
the coordinator. Hard requirements (adults only, a car) filter; the rest add points."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.events.recommendations import WEEKDAYS, part_of_day
from dobry.helprequests.models import Category, HelpOffer, HelpRequest
from dobry.volunteering.models import VolunteerProfile, age_on

# Words in a volunteer's skills that suit each kind of help (lower case, stems).
SKILL_HINTS = {
    Category.DELIVERY: ("машин", "автомоб", "вожу", "курьер"),
    Category.ACCOMPANIMENT: ("сопровож", "медик", "медсестр", "терпел"),
    Category.HOME: ("ремонт", "уборк", "руки", "плотник", "электрик"),
    Category.TRANSPORT: ("машин", "автомоб", "вожу", "водител", "права"),
    Category.DIGITAL: ("компьютер", "смартфон", "телефон", "it", "программ"),
    Category.TUTORING: ("учител", "педагог", "репетитор", "математ", "англий"),
    Category.COMPANY: ("общени", "психолог", "чтени", "разговор"),
    Category.FAMILY_DISABILITY: ("дет", "педагог", "дефектолог", "жестов", "инклюз"),
    Category.LEGAL: ("юрист", "юридич", "право", "бухгалт"),
    Category.OTHER: (),
}
CAR_HINTS = ("машин", "автомоб", "вожу", "водител")


@dataclass
class Candidate:
    user: User
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def _slot(request: HelpRequest) -> str | None:
    if request.wanted_from is None:
        return None
    local = timezone.localtime(request.wanted_from)
    return f"{WEEKDAYS[local.weekday()]}-{part_of_day(local.hour)}"


def candidates(request: HelpRequest, limit: int = 10) -> list[Candidate]:
    """Top volunteers for the request, best first, each with the reasons for the score."""
    today = timezone.localdate()
    slot = _slot(request)
    already = HelpOffer.objects.filter(request=request).values("volunteer_id")
    profiles = (
        VolunteerProfile.objects.filter(user__is_active=True)
        .exclude(user_id__in=already)
        .exclude(user_id=request.requester_id or 0)
        .select_related("user")
        .annotate(
            load=Count(
                "user__help_offers",
                filter=Q(
                    user__help_offers__status=HelpOffer.Status.ACCEPTED,
                    user__help_offers__request__status__in=HelpRequest.ACTIVE_TASK,
                ),
            ),
        )
        .only(
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__erased_at",
            "date_of_birth",
            "skills",
            "availability",
        )
    )
    district_ids = (
        set(
            VolunteerProfile.districts.through.objects.filter(
                district_id=request.district_id
            ).values_list("volunteerprofile_id", flat=True)
        )
        if request.district_id
        else set()
    )
    helped_before = (
        set(
            HelpOffer.objects.filter(
                status=HelpOffer.Status.ACCEPTED,
                request__recipient_phone=request.recipient_phone,
                request__status=HelpRequest.Status.DONE,
            ).values_list("volunteer_id", flat=True)
        )
        if request.recipient_phone
        else set()
    )
    hints = SKILL_HINTS.get(Category(request.category), ())
    ranked = []
    for profile in profiles:
        if not _meets(request, profile, today):
            continue
        candidate = Candidate(profile.user)
        skills = profile.skills.casefold()
        matched = [hint for hint in hints if hint in skills]
        if matched:
            candidate.score += 3
            candidate.reasons.append(
                _("подходящие навыки: %(skills)s") % {"skills": profile.skills[:80]}
            )
        if profile.pk in district_ids:
            candidate.score += 3
            candidate.reasons.append(_("помогает в этом районе"))
        if slot and slot in (profile.availability or []):
            candidate.score += 2
            candidate.reasons.append(_("свободен в это время"))
        if profile.user_id in helped_before:
            candidate.score += 2
            candidate.reasons.append(_("уже помогал этому человеку"))
        load = profile.load
        if load:
            candidate.score -= load
            candidate.reasons.append(_("уже помогает: %(n)s") % {"n": load})
        else:
            candidate.reasons.append(_("свободен от других задач"))
        ranked.append(candidate)
    ranked.sort(key=lambda c: (-c.score, c.user.pk))
    return ranked[:limit]


def _meets(request: HelpRequest, profile: VolunteerProfile, today: date) -> bool:
    """Hard requirements: adults only (and for driving); a car when the request needs one."""
    needs_adult = request.adults_only or request.category == Category.TRANSPORT
    if needs_adult and (profile.date_of_birth is None or age_on(profile.date_of_birth, today) < 18):
        return False
    has_car = any(hint in profile.skills.casefold() for hint in CAR_HINTS)
    return has_car or not request.needs_car
