"""Reads for help pages and the API alike: the catalogue of programmes, the day's batch
plan with the reasons for each match."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry, District
from dobry.core.permissions import Actor
from dobry.helprequests.assignment import Plan, day_proposal
from dobry.helprequests.models import (
    HelpOffer,
    HelpRequest,
    Programme,
    ProgrammeQuerySet,
    ProgrammeRecord,
)
from dobry.helprequests.permissions import (
    PUBLIC_STATUSES,
    editable_organizations,
    staff_of_verified,
)
from dobry.organizations.models import Organization
from dobry.organizations.sections import Section


def triage_queue(status: str | None = None) -> QuerySet[HelpRequest]:
    """The coordinators' queue: the open requests, or those of one `status`; the most
    urgent first, then the longest waiting."""
    requests = HelpRequest.objects.select_related("district", "programme", "possible_duplicate_of")
    if status is None:
        requests = requests.filter(status__in=HelpRequest.OPEN)
    else:
        requests = requests.filter(status=status)
    return requests.order_by("-priority", "created_at", "pk")


def public_requests(data: Mapping[str, Any]) -> QuerySet[HelpRequest]:
    """The open requests anyone may see, the most urgent first: the public page and
    GET /api/v1/help-requests/public alike. `data` keys (all optional): category, district
    (a District or its id), districts (ids: a volunteer's own districts)."""
    requests = HelpRequest.objects.filter(status__in=PUBLIC_STATUSES).select_related("district")
    if data.get("category"):
        requests = requests.filter(category=data["category"])
    if data.get("district"):
        requests = requests.filter(district=data["district"])
    if data.get("districts"):
        requests = requests.filter(district__in=data["districts"])
    return requests.order_by("-priority", "created_at", "pk")


def volunteer_districts(user: Actor) -> list[int]:
    """The districts of `user`'s volunteer profile (none for anyone else)."""
    if not user.is_authenticated:
        return []
    return list(
        District.objects.filter(volunteerprofile__user=user.pk).values_list("pk", flat=True)
    )


# «Мои просьбы»: the offers made to a helper, the latest this many.
MY_OFFERS = 50


def own_requests(user: User) -> QuerySet[HelpRequest]:
    """The requests `user` made (for themself or for someone close)."""
    return HelpRequest.objects.filter(requester=user).select_related("district")


def offers_to(user: User) -> QuerySet[HelpOffer]:
    """The offers made to `user` as a helper, the newest first."""
    return (
        HelpOffer.objects.filter(volunteer=user)
        .select_related("request__district")
        .order_by("-created_at", "-pk")
    )


def routed_to(user: User) -> QuerySet[HelpRequest]:
    """The open requests handed to a programme of a verified organisation `user` owns or
    edits (`permissions.staff_of_verified`)."""
    return (
        HelpRequest.objects.filter(
            staff_of_verified(user.pk, "programme__organization__"), status__in=HelpRequest.OPEN
        )
        .select_related("programme")
        .distinct()
    )


def offer_to_answer(user: Actor, help_request: HelpRequest) -> HelpOffer | None:
    """The offer of `help_request` made to `user` that still waits for their answer."""
    if not user.is_authenticated:
        return None
    return HelpOffer.objects.filter(
        request=help_request, volunteer_id=user.pk, status=HelpOffer.Status.OFFERED
    ).first()


def self_offered(user: Actor, help_request: HelpRequest) -> bool:
    """Whether `user` already offered to help with the request from its public summary
    (the audit entry `helprequest.self_offer` is the record of it): one offer per person
    and request, so the coordinators are told once."""
    return AuditEntry.objects.filter(
        action="helprequest.self_offer",
        actor_id=user.pk,
        object_type=HelpRequest._meta.label_lower,
        object_id=str(help_request.pk),
    ).exists()


def programme_record(programme: Programme, month: date | None) -> ProgrammeRecord | None:
    """The programme's record of `month`, if one was kept."""
    return programme.records.filter(month=month).first() if month else None


@dataclass(frozen=True)
class DeskFigures:
    """The coordinators' dashboard: the open requests by category and by district, how
    long they wait on average, the offers nobody answered yet and the busiest helpers."""

    by_category: list[dict[str, Any]]
    by_district: list[dict[str, Any]]
    open_count: int
    average_wait: timedelta | None
    unanswered_offers: int
    load: list[User]


def desk_figures(now: datetime) -> DeskFigures:
    open_requests = HelpRequest.objects.filter(status__in=HelpRequest.OPEN)
    created = list(open_requests.values_list("created_at", flat=True))
    waited = sum((now - moment for moment in created), timedelta())
    return DeskFigures(
        by_category=[
            dict(row)
            for row in open_requests.values("category")
            .annotate(n=Count("pk"))
            .order_by("-n", "category")
        ],
        by_district=[
            dict(row)
            for row in open_requests.values("district__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "district__name")
        ],
        open_count=len(created),
        average_wait=waited / len(created) if created else None,
        unanswered_offers=HelpOffer.objects.filter(status=HelpOffer.Status.OFFERED).count(),
        load=list(
            User.objects.filter(
                help_offers__status=HelpOffer.Status.ACCEPTED,
                help_offers__request__status__in=HelpRequest.ACTIVE_TASK,
            )
            .annotate(n=Count("help_offers"))
            .order_by("-n", "pk")[:10]
        ),
    )


# How long a request may wait for an answer at each urgency; past half of it, it is late soon.
ANSWER_WITHIN: dict[int, timedelta] = {
    HelpRequest.Priority.CRITICAL: timedelta(hours=1),
    HelpRequest.Priority.HIGH: timedelta(hours=4),
}
ANSWER_WITHIN_NORMALLY = timedelta(hours=24)


def waiting_level(help_request: HelpRequest, now: datetime) -> Literal["ok", "warning", "danger"]:
    """How long the request has waited against how urgent it is (the queue's colour):
    «ok», «warning» past half of its time, «danger» past all of it."""
    waited = now - help_request.created_at
    limit = ANSWER_WITHIN.get(help_request.priority, ANSWER_WITHIN_NORMALLY)
    if waited > limit:
        return "danger"
    if waited > limit / 2:
        return "warning"
    return "ok"


def offers_of(help_request: HelpRequest) -> QuerySet[HelpOffer]:
    """Whom the request was offered to and how each answered, the newest offer first: the
    request page's «Предложения» for those who work it."""
    return help_request.offers.select_related("volunteer").order_by("-created_at", "-pk")


def routable_programmes() -> ProgrammeQuerySet:
    """The programmes a request may be handed to today: the running ones, by name."""
    return Programme.objects.running().select_related("organization").order_by("name", "pk")


def routable_programme(pk: int) -> Programme:
    """The running programme `pk` names, for a request to be handed to; any other id is a
    DomainError naming «programme» (the page's form refuses it from its list the same way)."""
    programme = routable_programmes().filter(pk=pk).first()
    if (
        programme is None
        and Programme.objects.filter(pk=pk)
        .exclude(organization__status=Organization.Status.VERIFIED)
        .exists()
    ):
        raise DomainError(
            _("Организация этой программы не проверена: просьбы ей не передаются."),
            field_errors={"programme": [_("Выберите программу проверенной организации.")]},
        )
    if programme is None:
        raise DomainError(
            _("Программа сейчас не принимает просьбы."),
            field_errors={"programme": [_("Выберите из списка.")]},
        )
    return programme


def filtered_programmes(data: dict[str, Any]) -> ProgrammeQuerySet:
    """Running programmes with the catalogue's filters, by name: the page and
    GET /api/v1/programmes alike.

    `data` keys (all optional): category, district (a District or its id: programmes working
    there, and those working in the whole city — no districts given), organization (an
    Organization or its id).
    """
    items = Programme.objects.running()
    if data.get("category"):
        items = items.filter(category=data["category"])
    if data.get("district"):
        items = items.filter(Q(districts__isnull=True) | Q(districts=data["district"]))
    if data.get("organization"):
        items = items.filter(organization=data["organization"])
    return (
        items.select_related("organization")
        .prefetch_related("districts")
        .distinct()
        .order_by("name", "pk")
    )


# The records page shows a programme's months whole; GET /api/v1/programmes/{pk}/records
# gives them this many a page.
PROGRAMME_RECORDS_PAGE = 50


def programme_records(programme: Programme) -> "QuerySet[ProgrammeRecord]":
    """A programme's monthly records, the latest month first, for its records page and the
    API alike."""
    return programme.records.select_related("recorded_by").order_by("-month", "-pk")


def kept_programmes(user: Actor) -> ProgrammeQuerySet:
    """Every programme `user` keeps (finished, future and stopped ones too): its
    organisation's editors and coordinators."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(organization__in=editable_organizations(user)).select_related(
        "organization"
    )


def organization_section(organization: Organization, user: Actor) -> Section:
    """The organisation page's «Программы помощи»: its running programmes as the catalogue
    lists them, and — for those who keep them — the others, which the catalogue hides."""
    running = list(filtered_programmes({"organization": organization}))
    shown = {programme.pk for programme in running}
    kept = [
        programme
        for programme in kept_programmes(user).filter(organization=organization)
        if programme.pk not in shown
    ]
    return Section("helprequests/_organization_programmes.html", {"running": running, "kept": kept})


@dataclass(frozen=True)
class Match:
    """A volunteer the plan proposes for a request, with the candidate ranking's score
    and reasons (skills, district, free at that time, helped before, current load)."""

    volunteer: User
    score: int
    reasons: list[str]


@dataclass(frozen=True)
class PlannedRequest:
    help_request: HelpRequest
    matches: list[Match]  # empty: nobody suitable and free is left for it


@dataclass(frozen=True)
class DayPlan:
    """The day's batch plan as the coordinator reviews it (page and API alike). `key`
    identifies this plan: confirming with it sends exactly these offers."""

    day: date
    rows: list[PlannedRequest]
    key: str

    @property
    def matched(self) -> list[PlannedRequest]:
        return [row for row in self.rows if row.matches]

    @property
    def unmatched(self) -> list[PlannedRequest]:
        return [row for row in self.rows if not row.matches]

    @property
    def plan(self) -> Plan:
        return {
            row.help_request.pk: [match.volunteer.pk for match in row.matches]
            for row in self.rows
            if row.matches
        }


def day_plan(day: date) -> DayPlan:
    """The optimal assignment of the day's open requests (`assignment.day_proposal`), each
    proposed volunteer shown with the reasons the candidate ranking gave."""
    proposal = day_proposal(day)
    rows = []
    for help_request in proposal.requests:
        ranked = {c.user.pk: c for c in proposal.candidates[help_request.pk]}
        chosen = [ranked[v] for v in proposal.plan.get(help_request.pk, [])]
        chosen.sort(key=lambda c: (-c.score, c.user.pk))
        rows.append(
            PlannedRequest(help_request, [Match(c.user, c.score, c.reasons) for c in chosen])
        )
    return DayPlan(day, rows, _plan_key(day, proposal.plan))


def _plan_key(day: date, plan: Plan) -> str:
    pairs = sorted((r, v) for r, volunteers in plan.items() for v in volunteers)
    text = f"{day.isoformat()}:" + ",".join(f"{r}-{v}" for r, v in pairs)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
