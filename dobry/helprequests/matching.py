"""Candidates for a help request: volunteers ranked by a score with the reasons shown to
the coordinator. Hard requirements (adults only, a car) filter; the rest add points."""

import heapq
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry
from dobry.events.rules import ADULT_AGE, MINOR_AGE
from dobry.events.suitability import slot_at
from dobry.helprequests.models import Category, HelpOffer, HelpRequest
from dobry.organizations.models import Membership
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
    return slot_at(help_request.wanted_from)


def candidates(
    help_request: HelpRequest, limit: int | None = 10, *, actor: User | None = None
) -> list[Candidate]:
    """Volunteers to offer the request to, best first, each with the reasons for the score
    — «Кому предложить» on the page and in the API, and the only people an offer may go to
    (`eligible_volunteers` asks this same function).

    A candidate volunteers (a volunteer profile; a minor only with a parent's consent),
    meets the hard requirements, is neither the person who asked nor someone working the
    request as staff (coordinators, and the routed programme's staff unless a coordinator
    offers), has not been asked already, and has at least one reason to be asked: suitable
    skills, the district, free at the wanted time, helped this person before, or offered
    to help. Nobody is listed just to fill the list: an offer opens the recipient's name,
    phone and address to whoever accepts it (152-ФЗ: only to those who have a reason).

    City scale (10,000 volunteers) is scored from plain tuples in a few queries; people are
    loaded only for the top `limit` (see bench/matching.py); `limit=None` scores everyone."""
    offered = set(
        HelpOffer.objects.filter(request=help_request).values_list("volunteer_id", flat=True)
    )
    return _ranked(help_request, actor=actor, limit=limit, excluded=offered)


def eligible_volunteers(
    help_request: HelpRequest, user_ids: Collection[int], *, actor: User | None = None
) -> set[int]:
    """Which of `user_ids` may be offered the request: the candidates of `candidates`
    (the same rules, every candidate rather than the top ten). People who already hold a
    live offer pass (sending it again changes nothing); those who declined or let it
    expire are not asked again."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    answered = set(
        HelpOffer.objects.filter(request=help_request)
        .exclude(status__in=(HelpOffer.Status.OFFERED, HelpOffer.Status.ACCEPTED))
        .values_list("volunteer_id", flat=True)
    )
    ranked = _ranked(help_request, actor=actor, limit=None, excluded=answered, only=ids)
    return {candidate.user.pk for candidate in ranked}


@dataclass(frozen=True)
class _Signals:
    """What makes a volunteer a candidate for one request, each read once (a fixed number of
    queries): skills that fit the category, the request's district, free at its time, helped
    this resident before, offered themself; `load` is each volunteer's accepted active tasks,
    one point off the score per task."""

    hints: tuple[str, ...]
    slot: str | None
    in_district: set[int]
    helped_before: set[int]
    self_offered: set[int]
    load: dict[int, int]

    @classmethod
    def of(cls, help_request: HelpRequest) -> "_Signals":
        return cls(
            hints=tuple(SKILL_HINTS.get(Category(help_request.category), ())),
            slot=_slot(help_request),
            in_district=_profiles_in_district(help_request),
            helped_before=_helped_before(help_request),
            self_offered=_self_offered(help_request),
            load=_active_load(),
        )

    def score(
        self, profile_id: int, user_id: int, skills_text: str, availability: object
    ) -> tuple[int, int]:
        """(flags, score) of one volunteer; no flags means not a candidate."""
        skills = skills_text.casefold()
        reasons = (
            (SKILLS, 3, any(hint in skills for hint in self.hints)),
            (DISTRICT, 3, profile_id in self.in_district),
            (FREE_THEN, 2, self._free_then(availability)),
            (HELPED, 2, user_id in self.helped_before),
            (SELF_OFFERED, 2, user_id in self.self_offered),
        )
        flags = sum(flag for flag, _points, holds in reasons if holds)
        score = sum(points for _flag, points, holds in reasons if holds)
        return flags, score - self.load.get(user_id, 0)

    def _free_then(self, availability: object) -> bool:
        return bool(
            self.slot and availability and _has_slot(availability, self.slot, f'"{self.slot}"')
        )


def _profiles_in_district(help_request: HelpRequest) -> set[int]:
    if not help_request.district_id:
        return set()
    return set(
        VolunteerProfile.districts.through.objects.filter(
            district_id=help_request.district_id
        ).values_list("volunteerprofile_id", flat=True)
    )


def _self_offered(help_request: HelpRequest) -> set[int]:
    return {
        int(actor_id)
        for actor_id in AuditEntry.objects.filter(
            action="helprequest.self_offer",
            object_type=HelpRequest._meta.label_lower,
            object_id=str(help_request.pk),
        ).values_list("actor_id", flat=True)
        if actor_id
    }


def _active_load() -> dict[int, int]:
    return dict(
        HelpOffer.objects.filter(
            status=HelpOffer.Status.ACCEPTED, request__status__in=HelpRequest.ACTIVE_TASK
        )
        .values("volunteer_id")
        .annotate(n=Count("pk"))
        .values_list("volunteer_id", "n")
    )


def _ranked(
    help_request: HelpRequest,
    *,
    actor: User | None,
    limit: int | None,
    excluded: set[int],
    only: Collection[int] | None = None,
) -> list[Candidate]:
    if actor is not None and actor.pk:
        excluded = excluded | {actor.pk}
    rows = _eligible_rows(help_request, only=only, staff_may_help=_is_coordinator(actor))
    signals = _Signals.of(help_request)
    scored: list[tuple[int, int, int, str]] = []
    for profile_id, user_id, skills_text, availability in rows:
        if user_id in excluded:
            continue
        flags, score = signals.score(profile_id, user_id, skills_text, availability)
        if flags:  # otherwise no reason to ask this person: not a candidate
            scored.append((score, user_id, flags, skills_text))
    load = signals.load
    top = (
        sorted(scored, key=_best_first)
        if limit is None
        else heapq.nsmallest(limit, scored, key=_best_first)
    )
    users = User.objects.in_bulk([user_id for _score, user_id, _flags, _skills in top])
    met = _requirements_met(help_request)
    return [
        Candidate(
            users[user_id], score, [*_reasons(flags, skills_text, load.get(user_id, 0)), *met]
        )
        for score, user_id, flags, skills_text in top
    ]


def _best_first(item: tuple[int, int, int, str]) -> tuple[int, int]:
    return (-item[0], item[1])


def _is_coordinator(actor: User | None) -> bool:
    return bool(actor is not None and (actor.is_coordinator or actor.is_superuser))


def _helped_before(help_request: HelpRequest) -> set[int]:
    """Volunteers who helped the same person (same phone) or an earlier visit of the
    same series of visits."""
    same_person = (
        Q(request__recipient_phone=help_request.recipient_phone)
        if (help_request.recipient_phone)
        else Q(pk__in=[])
    )
    series = help_request.parent_id or help_request.pk
    same_series = Q(request_id=series) | Q(request__parent_id=series)
    return set(
        HelpOffer.objects.filter(
            same_person | same_series,
            status=HelpOffer.Status.ACCEPTED,
            request__status=HelpRequest.Status.DONE,
        )
        .exclude(request_id=help_request.pk)
        .values_list("volunteer_id", flat=True)
    )


def _eligible_rows(
    help_request: HelpRequest, only: Collection[int] | None = None, *, staff_may_help: bool
) -> list[tuple[int, int, str, object]]:
    """(profile id, user id, skills, availability) of every person who may be offered the
    request: active people who volunteer (a volunteer profile; from 14, and under 18 with
    a parent's written consent), other than the person who asked and the staff working
    the request, who meet the hard requirements (age, a woman, a car). The routed
    programme's own staff may be offered it only by a coordinator (`staff_may_help`)."""
    profile_table = VolunteerProfile._meta.db_table
    user_table = User._meta.db_table
    sql = (
        f"SELECT p.id, p.user_id, p.skills, p.availability FROM {profile_table} p "
        f"JOIN {user_table} u ON u.id = p.user_id "
        "WHERE u.is_active AND NOT u.is_coordinator AND NOT u.is_superuser"
        " AND (p.date_of_birth IS NULL OR p.date_of_birth <= %s)"
        " AND (p.date_of_birth IS NULL OR p.date_of_birth <= %s"
        " OR p.parental_consent_at IS NOT NULL)"
    )
    today = local_today()
    params: list[int | date | str] = [_years_ago(today, MINOR_AGE), _years_ago(today, ADULT_AGE)]
    if help_request.requester_id:
        sql += " AND p.user_id <> %s"
        params.append(help_request.requester_id)
    if help_request.programme_id and not staff_may_help:
        organization_id = help_request.programme.organization_id  # type: ignore[union-attr]
        sql += (
            f" AND p.user_id NOT IN (SELECT m.user_id FROM {Membership._meta.db_table} m"
            " WHERE m.organization_id = %s AND m.role IN (%s, %s))"
        )
        params += [organization_id, Membership.Role.OWNER, Membership.Role.EDITOR]
    if only is not None:
        if not only:
            return []
        sql += f" AND p.user_id IN ({', '.join(['%s'] * len(only))})"
        params.extend(only)
    if help_request.adults_only or help_request.category == Category.TRANSPORT:
        sql += " AND p.date_of_birth <= %s"
        params.append(_years_ago(today, ADULT_AGE))
    if help_request.woman_volunteer:
        sql += " AND p.woman"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if help_request.needs_car:
        rows = [row for row in rows if any(hint in row[2].casefold() for hint in CAR_HINTS)]
    return rows


def _requirements_met(help_request: HelpRequest) -> list[str]:
    """Hard requirements filter the volunteers, so every candidate shown meets them."""
    met = []
    if help_request.needs_car:
        met.append(_("есть автомобиль"))
    if help_request.woman_volunteer:
        met.append(_("помощница-женщина"))
    if help_request.adults_only or help_request.category == Category.TRANSPORT:
        met.append(_("18 лет и старше"))
    return [_("требования выполнены: %(list)s") % {"list": ", ".join(met)}] if met else []


SKILLS, DISTRICT, FREE_THEN, HELPED, SELF_OFFERED = 1, 2, 4, 8, 16


def _has_slot(availability: object, slot: str | None, quoted: str) -> bool:
    """SQLite hands JSON over as text, PostgreSQL (jsonb) as a list."""
    if isinstance(availability, list):
        return slot in availability
    return quoted in str(availability)


def _reasons(flags: int, skills: str, busy: int) -> list[str]:
    """The reasons are worded only for the few candidates shown, not for every volunteer,
    and worded without grammatical gender: the platform does not know it (a profile's
    «woman» answers only the requirement of a woman helper)."""
    reasons = []
    if flags & SKILLS:
        reasons.append(_("подходящие навыки: %(skills)s") % {"skills": skills[:80]})
    if flags & DISTRICT:
        reasons.append(_("помогает в этом районе"))
    if flags & FREE_THEN:
        reasons.append(_("это время отмечено как свободное"))
    if flags & HELPED:
        reasons.append(_("уже есть опыт помощи этому человеку"))
    if flags & SELF_OFFERED:
        reasons.append(_("откликнулись на эту просьбу сами"))
    reasons.append(_("других задач сейчас: %(n)s") % {"n": busy} if busy else _("нет других задач"))
    return reasons


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
