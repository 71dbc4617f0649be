"""Candidates for a help request: volunteers ranked by a score with the reasons shown to
the coordinator. Hard requirements (adults only, a car) filter; the rest add points."""

import heapq
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.clock import local_time, local_today
from dobry.events.recommendations import WEEKDAYS, part_of_day
from dobry.helprequests.models import Category, HelpOffer, HelpRequest
from dobry.volunteering.models import VolunteerProfile

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


def _slot(help_request: HelpRequest) -> str | None:
    if help_request.wanted_from is None:
        return None
    local = local_time(help_request.wanted_from)
    return f"{WEEKDAYS[local.weekday()]}-{part_of_day(local.hour)}"


def candidates(help_request: HelpRequest, limit: int = 10) -> list[Candidate]:
    """Top volunteers for the request, best first, each with the reasons for the score.

    City scale (10,000 volunteers) is scored from plain tuples in a few queries; people are
    loaded only for the top `limit` (see bench/matching.py)."""
    slot = _slot(help_request)
    excluded = set(
        HelpOffer.objects.filter(request=help_request).values_list("volunteer_id", flat=True)
    )
    rows = _eligible_rows(help_request)
    in_district = (
        set(
            VolunteerProfile.districts.through.objects.filter(
                district_id=help_request.district_id
            ).values_list("volunteerprofile_id", flat=True)
        )
        if help_request.district_id
        else set()
    )
    helped_before = (
        set(
            HelpOffer.objects.filter(
                status=HelpOffer.Status.ACCEPTED,
                request__recipient_phone=help_request.recipient_phone,
                request__status=HelpRequest.Status.DONE,
            ).values_list("volunteer_id", flat=True)
        )
        if help_request.recipient_phone
        else set()
    )
    load = dict(
        HelpOffer.objects.filter(
            status=HelpOffer.Status.ACCEPTED, request__status__in=HelpRequest.ACTIVE_TASK
        )
        .values("volunteer_id")
        .annotate(n=Count("pk"))
        .values_list("volunteer_id", "n")
    )
    hints = SKILL_HINTS.get(Category(help_request.category), ())
    quoted_slot = f'"{slot}"' if slot else None
    scored: list[tuple[int, int, int, str]] = []
    for profile_id, user_id, skills_text, availability in rows:
        if user_id in excluded:
            continue
        skills = skills_text.casefold()
        flags, score = 0, 0
        if any(hint in skills for hint in hints):
            flags, score = flags | SKILLS, score + 3
        if profile_id in in_district:
            flags, score = flags | DISTRICT, score + 3
        if quoted_slot and availability and _has_slot(availability, slot, quoted_slot):
            flags, score = flags | FREE_THEN, score + 2
        if user_id in helped_before:
            flags, score = flags | HELPED, score + 2
        score -= load.get(user_id, 0)
        scored.append((score, user_id, flags, skills_text))
    top = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
    users = User.objects.in_bulk([user_id for _score, user_id, _flags, _skills in top])
    met = _requirements_met(help_request)
    return [
        Candidate(
            users[user_id], score, [*_reasons(flags, skills_text, load.get(user_id, 0)), *met]
        )
        for score, user_id, flags, skills_text in top
    ]


def _eligible_rows(
    help_request: HelpRequest, only: Collection[int] | None = None
) -> list[tuple[int, int, str, object]]:
    """(profile id, user id, skills, availability) of every person who may be offered the
    request: active people who volunteer (a volunteer profile), other than the person who
    asked, who meet the hard requirements (age, a woman, a car)."""
    profile_table = VolunteerProfile._meta.db_table
    user_table = User._meta.db_table
    sql = (
        f"SELECT p.id, p.user_id, p.skills, p.availability FROM {profile_table} p "
        f"JOIN {user_table} u ON u.id = p.user_id WHERE u.is_active"
    )
    params: list[int | date] = []
    if help_request.requester_id:
        sql += " AND p.user_id <> %s"
        params.append(help_request.requester_id)
    if only is not None:
        if not only:
            return []
        sql += f" AND p.user_id IN ({', '.join(['%s'] * len(only))})"
        params.extend(only)
    if help_request.adults_only or help_request.category == Category.TRANSPORT:
        sql += " AND p.date_of_birth <= %s"
        params.append(_years_ago(local_today(), 18))
    if help_request.woman_volunteer:
        sql += " AND p.woman"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if help_request.needs_car:
        rows = [row for row in rows if any(hint in row[2].casefold() for hint in CAR_HINTS)]
    return rows


def eligible_volunteers(help_request: HelpRequest, user_ids: Collection[int]) -> set[int]:
    """Which of `user_ids` may be offered the request — the same rule that chooses the
    candidates (`_eligible_rows`), so an offer never goes to someone matching would skip."""
    return {row[1] for row in _eligible_rows(help_request, only=sorted(set(user_ids)))}


def _requirements_met(help_request: HelpRequest) -> list[str]:
    """Hard requirements filter the volunteers, so every candidate shown meets them."""
    met = []
    if help_request.needs_car:
        met.append(_("есть автомобиль"))
    if help_request.woman_volunteer:
        met.append(_("помощница-женщина"))
    if help_request.adults_only or help_request.category == Category.TRANSPORT:
        met.append(_("совершеннолетний"))
    return [_("требования выполнены: %(list)s") % {"list": ", ".join(met)}] if met else []


SKILLS, DISTRICT, FREE_THEN, HELPED = 1, 2, 4, 8


def _has_slot(availability: object, slot: str | None, quoted: str) -> bool:
    """SQLite hands JSON over as text, PostgreSQL (jsonb) as a list."""
    if isinstance(availability, list):
        return slot in availability
    return quoted in str(availability)


def _reasons(flags: int, skills: str, busy: int) -> list[str]:
    """The reasons are worded only for the few candidates shown, not for every volunteer."""
    reasons = []
    if flags & SKILLS:
        reasons.append(_("подходящие навыки: %(skills)s") % {"skills": skills[:80]})
    if flags & DISTRICT:
        reasons.append(_("помогает в этом районе"))
    if flags & FREE_THEN:
        reasons.append(_("свободен в это время"))
    if flags & HELPED:
        reasons.append(_("уже помогал этому человеку"))
    reasons.append(
        _("уже помогает: %(n)s") % {"n": busy} if busy else _("свободен от других задач")
    )
    return reasons


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
