"""The applicant's cabinet: a person's applications, agreements with their next payments,
report deadlines (`ReportDue`) and the external calls their organisations follow, each with
what to do next. Reads only: a fixed number of queries whatever the lengths."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dobry.core.clock import local_date
from dobry.core.dates import day_text
from dobry.core.permissions import Actor
from dobry.grants.models import Agreement, Application, GrantReport, ReportDue, Tranche
from dobry.opportunities import permissions
from dobry.opportunities.models import Follow

# The most of each kind the page lists (the grants pages list them all).
SHOWN = 50


@dataclass
class Item:
    obj: object
    next_step: str
    urgent: bool = False


@dataclass
class Cabinet:
    applications: list[Item] = field(default_factory=list)
    agreements: list[Item] = field(default_factory=list)
    reports: list[Item] = field(default_factory=list)
    calls: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.applications or self.agreements or self.reports or self.calls)


def _application_step(application: Application, today: date) -> Item:
    S = Application.Status
    close = application.competition.applications_close
    if application.status in (S.DRAFT, S.RETURNED, S.WITHDRAWN):
        if local_date(close) < today:
            return Item(application, _("Приём заявок закончен."))
        text = _("Допишите и подайте заявку до %(day)s.") % {"day": day_text(close)}
        return Item(application, text, urgent=application.status == S.RETURNED)
    if application.status == S.SUBMITTED:
        return Item(application, _("Ждите решения о допуске заявки."))
    if application.status == S.NOT_ADMITTED:
        return Item(application, _("Заявка не допущена: причина — на странице заявки."))
    if application.result == Application.Result.WINNER:
        return Item(application, _("Заявка победила: смотрите соглашение."))
    if application.result:
        return Item(application, _("Итоги подведены."))
    return Item(application, _("Идёт экспертиза: ждите итогов."))


def _agreement_step(agreement: Agreement, today: date) -> Item:
    if agreement.status == Agreement.Status.DRAFT:
        return Item(agreement, _("Подпишите соглашение."), urgent=True)
    if agreement.status != Agreement.Status.SIGNED:
        return Item(agreement, _("Ничего не нужно."))
    unpaid = [t for t in agreement.tranches.all() if t.status != Tranche.Status.PAID]
    if not unpaid:
        return Item(agreement, _("Все транши перечислены."))
    tranche = unpaid[0]
    agreement.next_tranche = tranche  # type: ignore[attr-defined]
    if tranche.status == Tranche.Status.REQUESTED:
        return Item(agreement, _("Транш запрошен: ждите перечисления."))
    if tranche.planned_on <= today:
        return Item(agreement, _("Запросите очередной транш."), urgent=True)
    return Item(agreement, _("Следующий транш — %(day)s.") % {"day": day_text(tranche.planned_on)})


def _report_step(due: ReportDue, today: date, report: GrantReport | None = None) -> Item:
    """What a report due asks now: its report's state first (returned → correct and submit
    again, urgent; on review → wait; accepted → nothing), then the deadline on the city's
    date (past → late, urgent; within 14 days → urgent). The report, when started, is kept
    on the item's object as `report` for the page's link."""
    due.report = report  # type: ignore[attr-defined]
    kind = due.get_kind_display()
    R = GrantReport.Status
    if report is not None and report.status == R.RETURNED:
        text = _("Отчёт возвращён на доработку: исправьте его по комментариям и сдайте снова.")
        return Item(due, text, urgent=True)
    if report is not None and report.status == R.SUBMITTED:
        return Item(due, _("Отчёт на проверке: ждите решения."))
    if report is not None and report.status == R.ACCEPTED:
        return Item(due, _("Отчёт принят."))
    if due.due_on < today:
        return Item(due, _("Срок прошёл: сдайте %(kind)s.") % {"kind": kind}, urgent=True)
    days = (due.due_on - today).days
    text = _("Сдайте %(kind)s до %(day)s.") % {"kind": kind, "day": day_text(due.due_on)}
    return Item(due, text, urgent=days <= 14)


def cabinet_of(user: Actor, *, today: date) -> Cabinet:
    """Everything the person's grant work asks of them, in one place."""
    mine = Application.objects.of(user)
    applications = mine.select_related("competition", "organization").order_by("-created_at")
    agreements = (
        Agreement.objects.filter(application__in=mine.values("pk"))
        .select_related("application__competition", "application__organization")
        .prefetch_related(Prefetch("tranches", Tranche.objects.order_by("planned_on", "position")))
        .order_by("-concluded_on", "-pk")
    )
    reports = (
        ReportDue.objects.filter(
            agreement__application__in=mine.values("pk"),
            agreement__status=Agreement.Status.SIGNED,
        )
        .select_related("agreement")
        .order_by("due_on", "pk")
    )
    started = {
        (report.agreement_id, report.kind): report
        for report in GrantReport.objects.filter(
            agreement__application__in=mine.values("pk"),
            agreement__status=Agreement.Status.SIGNED,
        )
    }
    calls = (
        Follow.objects.filter(
            organization__in=permissions.member_organizations(user),
            opportunity__withdrawn=False,
            opportunity__closes_on__gte=today,
        )
        .select_related("opportunity", "organization")
        .order_by("opportunity__closes_on", "pk")
    )
    return Cabinet(
        applications=[_application_step(a, today) for a in applications[:SHOWN]],
        agreements=[_agreement_step(a, today) for a in agreements[:SHOWN]],
        reports=[
            _report_step(r, today, started.get((r.agreement_id, r.kind))) for r in reports[:SHOWN]
        ],
        calls=[_call_step(f, today) for f in calls[:SHOWN]],
    )


def _call_step(follow: Follow, today: date) -> Item:
    closes = follow.opportunity.closes_on
    text = _("Подайте заявку на сайте конкурса до %(day)s.") % {"day": day_text(closes)}
    return Item(follow, text, urgent=(closes - today).days <= 14)
