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
from dobry.grants.models import Agreement, Application, ReportDue, Tranche
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


def _report_step(report: ReportDue, today: date) -> Item:
    kind = report.get_kind_display()
    if report.due_on < today:
        return Item(report, _("Срок прошёл: сдайте %(kind)s.") % {"kind": kind}, urgent=True)
    days = (report.due_on - today).days
    text = _("Сдайте %(kind)s до %(day)s.") % {"kind": kind, "day": day_text(report.due_on)}
    return Item(report, text, urgent=days <= 14)


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
        reports=[_report_step(r, today) for r in reports[:SHOWN]],
        calls=[_call_step(f, today) for f in calls[:SHOWN]],
    )


def _call_step(follow: Follow, today: date) -> Item:
    closes = follow.opportunity.closes_on
    text = _("Подайте заявку на сайте конкурса до %(day)s.") % {"day": day_text(closes)}
    return Item(follow, text, urgent=(closes - today).days <= 14)
