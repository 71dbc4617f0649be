"""Reading a competition's results: the ranking with each expert's totals beside their
z-scores, as staff, the protocol and the public page show it; what the final allocation
still waits for; the expert pool with its loads and an expert's own reviews, for the pages
and the API alike."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.clock import local_date, local_today
from dobry.core.dates import status_text
from dobry.core.permissions import Actor
from dobry.core.workflow import workflow_of
from dobry.grants import permissions, rules
from dobry.grants.models import (
    Agreement,
    Application,
    Competition,
    Expert,
    GrantReport,
    ReportDue,
    ResidentsVoteScore,
    Review,
)
from dobry.grants.reporting.deadlines import is_late

# «Мои экспертизы» and GET /api/v1/me/reviews: reviews a page.
MY_REVIEWS_PAGE = 20
# The desk and the ranking page show the pool and the ranking whole; the API gives them a
# page at a time (the ranking is computed whole, so ranks and z-scores stay the same).
EXPERTS_PAGE = 50
RANKING_PAGE = 50


@dataclass
class ExpertTotal:
    review: Review
    total: Decimal
    z_score: float | None


@dataclass
class Ranked:
    application: Application
    score: Decimal
    rank: int
    complete: bool  # every assigned expert has submitted
    totals: list[ExpertTotal] = field(default_factory=list)
    # the criterion «Народная поддержка» of a closed residents' vote (None without one):
    # its points are part of `score`, on top of `expert_score`
    residents: ResidentsVoteScore | None = None
    expert_score: Decimal | None = None

    def scored(self) -> rules.Scored:
        application = self.application
        return rules.Scored(
            application.pk,
            self.score,
            application.submitted_at or application.created_at,
            application.requested_amount,
        )


def my_reviews(user: User) -> "QuerySet[Review]":
    """An expert's reviews, for «Мои экспертизы» and GET /api/v1/me/reviews: by status,
    the latest due first, then by the application's number."""
    return (
        Review.objects.filter(expert__user=user)
        .select_related("application__competition")
        .order_by("status", "-due_at", "application__number", "pk")
    )


def expert_pool(competition: Competition) -> "QuerySet[Expert]":
    """The competition's experts in the order they joined, each with `load`: the reviews
    assigned to them (a declared conflict does not count; an expert out of the pool has
    none), as `assignments.expert_loads` counts them. For the desk and the API alike."""
    return (
        competition.experts.select_related("user")
        .annotate(
            load=Count(
                "reviews",
                filter=Q(is_active=True) & ~Q(reviews__status=Review.Status.CONFLICT),
            )
        )
        .order_by("pk")
    )


def ranking(competition: Competition) -> list[Ranked]:
    """Admitted applications with at least one submitted review, by the published rule:
    score descending, ties by earlier submission. A fixed number of queries."""
    applications = list(
        competition.applications.admitted()
        .select_related("organization", "applicant", "residents_vote")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.active().select_related("expert__user"),
                to_attr="counted_reviews",
            )
        )
    )
    totals: dict[tuple[Hashable, int], Decimal] = {
        (review.expert_id, application.pk): review.total
        for application in applications
        for review in application.counted_reviews
        if review.status == Review.Status.SUBMITTED and review.total is not None
    }
    z_scores = rules.normalised_totals(totals)
    by_id = {application.pk: application for application in applications}
    scored = [
        rules.Scored(
            a.pk, a.score + _residents_points(a), a.submitted_at or a.created_at, a.requested_amount
        )
        for a in applications
        if a.score is not None
    ]
    result = []
    for position, item in enumerate(rules.rank(scored), start=1):
        application = by_id[item.application_id]
        reviews = application.counted_reviews
        result.append(
            Ranked(
                application=application,
                score=item.score,
                rank=position,
                complete=all(r.status == Review.Status.SUBMITTED for r in reviews),
                residents=_residents(application),
                expert_score=application.score,
                totals=[
                    ExpertTotal(r, r.total, z_scores[(r.expert_id, application.pk)])
                    for r in reviews
                    if r.status == Review.Status.SUBMITTED and r.total is not None
                ],
            )
        )
    return result


def divergence_pending(
    reviews: Iterable[Review], criteria: Iterable[rules.Criterion], threshold: Decimal
) -> bool:
    """Every counted review is in, no extra expert was added yet, and the totals diverge
    beyond the threshold: one more expert is due."""
    counted = list(reviews)
    totals = [
        r.total for r in counted if r.status == Review.Status.SUBMITTED and r.total is not None
    ]
    return (
        all(r.status == Review.Status.SUBMITTED for r in counted)
        and not any(r.for_divergence for r in counted)
        and rules.needs_another_expert(totals, list(criteria), threshold)
    )


def rule_criteria(competition: Competition) -> list[rules.Criterion]:
    return [rules.Criterion(c.pk, c.weight, c.max_score) for c in competition.criteria.all()]


@dataclass
class FinalAllocationWait:
    """What the final allocation waits for: reviews assigned and not yet submitted (a
    replacement's included, each with its own due time), and admitted applications that
    still need an expert (too few assigned, or one more for diverging totals)."""

    reviews: list[Review] = field(default_factory=list)
    needs_expert: list[Application] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reviews and not self.needs_expert

    @property
    def numbers(self) -> list[str]:
        waiting = {r.application.number for r in self.reviews}
        return sorted(waiting | {a.number for a in self.needs_expert})


def final_allocation_wait(competition: Competition) -> FinalAllocationWait:
    """Every admitted application's outstanding reviews and missing experts, in the order
    of the applications' numbers. A fixed number of queries."""
    criteria = rule_criteria(competition)
    applications = (
        competition.applications.admitted()
        .order_by("number", "pk")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.active().select_related("expert__user"),
                to_attr="counted_reviews",
            )
        )
    )
    wait = FinalAllocationWait()
    for application in applications:
        counted = application.counted_reviews
        outstanding = [r for r in counted if r.status == Review.Status.ASSIGNED]
        for review in sorted(outstanding, key=lambda r: (r.due_at, r.pk)):
            review.application = application
            wait.reviews.append(review)
        regular = sum(1 for r in counted if not r.for_divergence)
        if regular < competition.experts_per_application or divergence_pending(
            counted, criteria, competition.divergence_percent
        ):
            wait.needs_expert.append(application)
    return wait


# --- the organisers' queue of reports -----------------------------------------------------------

REPORT_QUEUE_PAGE = 50
QUEUE_STATES = ("due", "late", "submitted", "returned", "accepted")


@dataclass
class QueueRow:
    due: ReportDue
    report: GrantReport | None
    late: bool

    @property
    def state(self) -> str:
        if self.report is not None and self.report.status != GrantReport.Status.DRAFT:
            return str(self.report.status)
        return "late" if self.late else "due"


def queue_competitions(user: Actor) -> QuerySet[Competition]:
    """The competitions whose agreements' reports the person keeps: the queue's choice of
    competition."""
    return Competition.objects.filter(
        applications__agreement__in=permissions.managed_agreements(user).values("pk")
    ).distinct()


def report_queue(
    user: Actor,
    today: date,
    state: str = "",
    *,
    competition: Competition | None = None,
    kind: str = "",
    late: bool | None = None,
) -> list[QueueRow]:
    """The reports due under the signed (and closed) agreements the person keeps, earliest
    due first, with the report when one was started and whether it is late (the city's
    `today`). Filters: `state` one of QUEUE_STATES, `competition`, `kind` (interim, final),
    `late` (True: late ones, False: on time). Three queries whatever the number of rows."""
    dues = ReportDue.objects.filter(
        agreement__in=permissions.managed_agreements(user).values("pk"),
        agreement__status__in=(Agreement.Status.SIGNED, Agreement.Status.CLOSED),
    )
    if competition is not None:
        dues = dues.filter(agreement__application__competition=competition)
    if kind:
        dues = dues.filter(kind=kind)
    listed = list(
        dues.select_related(
            "agreement__application__organization",
            "agreement__application__applicant",
            "agreement__application__competition",
        ).order_by("due_on", "pk")
    )
    found = GrantReport.objects.filter(agreement__in={d.agreement_id for d in listed})
    reports = {(r.agreement_id, r.kind): r for r in found}
    rows = []
    for due in listed:
        report = reports.get((due.agreement_id, due.kind))
        rows.append(QueueRow(due, report, is_late(report, due, today)))
    return [
        row
        for row in rows
        if (not state or row.state == state) and (late is None or row.late == late)
    ]


def queue_header() -> list[str]:
    """The columns of the queue's download (XLSX, CSV)."""
    return [
        _("Срок сдачи"),
        _("Соглашение"),
        _("Конкурс"),
        _("Получатель гранта"),
        _("Отчёт"),
        _("Статус"),
        _("С опозданием"),
        _("Сдан"),
        _("Решение"),
    ]


def _grantee_in_file(application: Application) -> str:
    """The grantee as a downloaded file names them: an organisation by its name; a resident
    who applied on their own is not named — the agreement's number identifies them to the
    staff, who see the name on the page, and a file travels further than a page."""
    if application.organization_id:
        return str(application.organization)
    return str(_("житель (имя на странице соглашения)"))


def queue_cells(rows: list[QueueRow]) -> list[list[Any]]:
    """The queue's rows as cells: dates on the city's calendar, the status's name as staff
    read it («не начат» for a report not started), no resident's name. Every cell goes
    through the export helpers (`core.documents`)."""
    cells = []
    for row in rows:
        report = row.report
        status = (
            status_text(report, label=workflow_of(report).staff_name(report.status))
            if report
            else _("не начат")
        )
        cells.append(
            [
                row.due.due_on,
                row.due.agreement.number,
                row.due.agreement.application.competition.title,
                _grantee_in_file(row.due.agreement.application),
                row.due.get_kind_display(),
                status,
                _("да") if row.late else _("нет"),
                local_date(report.submitted_at) if report and report.submitted_at else "",
                local_date(report.decided_at) if report and report.decided_at else "",
            ]
        )
    return cells


def report_rows(
    user: Actor, agreement: Agreement
) -> list[tuple[ReportDue, GrantReport | None, bool, bool]]:
    """The agreement page's reports: each report due with its report (if started), whether
    it is late and whether the person may start it."""
    today = local_today()
    reports = {r.kind: r for r in agreement.reports.all()}
    may_open = bool(permissions.can_open_report(user, agreement))
    return [
        (due, reports.get(due.kind), is_late(reports.get(due.kind), due, today), may_open)
        for due in agreement.reports_due.all()
    ]


def past_ratings(application: Application) -> list[GrantReport]:
    """The applicant's finished grant projects with their ratings (accepted final reports):
    the applying organisation's, or the person's own when they applied as a resident —
    what experts see of the applicant's history."""
    if application.organization_id:
        own = Q(agreement__application__organization_id=application.organization_id)
    elif application.applicant_id:
        own = Q(
            agreement__application__applicant_id=application.applicant_id,
            agreement__application__organization__isnull=True,
        )
    else:
        return []
    return list(
        GrantReport.objects.filter(
            own, kind=ReportDue.Kind.FINAL, status=GrantReport.Status.ACCEPTED
        )
        .exclude(agreement__application_id=application.pk)
        .select_related("agreement__application__competition")
        .order_by("-decided_at", "-pk")
    )


def _residents(application: Application) -> ResidentsVoteScore | None:
    try:
        return application.residents_vote
    except ResidentsVoteScore.DoesNotExist:
        return None


def _residents_points(application: Application) -> Decimal:
    """The points of the criterion «Народная поддержка», once its vote is closed."""
    found = _residents(application)
    return found.points if found is not None else Decimal(0)
