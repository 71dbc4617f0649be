"""The fit for an organisation («Подходит нашей организации»): open calls ranked for one organisation by who may apply
(kind, age of registration, region), its areas and the amount it looks for, each
criterion with the reason shown. One function (`rank_for`) serves the page and the API."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.core.dates import day_text
from dobry.core.typography import quoted
from dobry.opportunities.models import Opportunity
from dobry.organizations.models import Organization

KIND, AGE, AREAS, AMOUNT = "kind", "age", "areas", "amount"


@dataclass(frozen=True)
class Reason:
    """One criterion: met (True), failed (False) or unknown (None), and why."""

    criterion: str
    met: bool | None
    text: str


@dataclass
class Fit:
    opportunity: Opportunity
    reasons: list[Reason] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        """No criterion of who may apply failed (areas and amount only rank)."""
        return not any(r.met is False and r.criterion in (KIND, AGE) for r in self.reasons)

    @property
    def score(self) -> int:
        return sum(1 for reason in self.reasons if reason.met)


def _kind(opportunity: Opportunity, organization: Organization) -> Reason:
    if not opportunity.eligible_kinds:
        return Reason(KIND, True, _("Вид организации не ограничен."))
    label = organization.get_kind_display()
    if organization.kind in opportunity.eligible_kinds:
        return Reason(KIND, True, _("Вид %(kind)s может подать заявку.") % {"kind": quoted(label)})
    return Reason(KIND, False, _("Вид %(kind)s не может подать заявку.") % {"kind": quoted(label)})


def _age(opportunity: Opportunity, organization: Organization, today: date) -> Reason:
    months = opportunity.min_registered_months
    if not months:
        return Reason(AGE, True, _("Срок регистрации не ограничен."))
    needed = ngettext(
        "Нужна регистрация не менее %(months)s месяца.",
        "Нужна регистрация не менее %(months)s месяцев.",
        months,
    ) % {"months": months}
    if organization.founded_on is None:
        return Reason(AGE, None, needed + " " + _("Дата регистрации организации не указана."))
    ready = organization.founded_on + relativedelta(months=months)
    if ready <= opportunity.closes_on:
        return Reason(AGE, True, needed + " " + _("Организация подходит."))
    return Reason(
        AGE, False, needed + " " + _("Организация наберёт срок %(day)s.") % {"day": day_text(ready)}
    )


def _areas(opportunity: Opportunity, areas: set[str]) -> Reason:
    if not opportunity.areas:
        return Reason(AREAS, True, _("Направления не ограничены."))
    shared = [
        label
        for value, label in zip(opportunity.areas, opportunity.area_labels(), strict=False)
        if value in areas
    ]
    if shared:
        return Reason(
            AREAS, True, _("Совпадают направления: %(areas)s.") % {"areas": ", ".join(shared)}
        )
    return Reason(AREAS, False, _("Направления конкурса не совпадают с направлениями организации."))


def _amount(opportunity: Opportunity, wanted: Decimal | None) -> Reason | None:
    if wanted is None:
        return None
    low, high = opportunity.min_amount, opportunity.max_amount
    if (low is not None and wanted < low) or (high is not None and wanted > high):
        return Reason(AMOUNT, False, _("Нужная сумма вне пределов гранта."))
    return Reason(AMOUNT, True, _("Нужная сумма в пределах гранта."))


def fit_of(
    opportunity: Opportunity,
    organization: Organization,
    areas: set[str],
    *,
    today: date,
    wanted: Decimal | None = None,
) -> Fit:
    reasons = [
        _kind(opportunity, organization),
        _age(opportunity, organization, today),
        _areas(opportunity, areas),
    ]
    if (amount := _amount(opportunity, wanted)) is not None:
        reasons.append(amount)
    return Fit(opportunity, reasons)


def rank_for(
    organization: Organization,
    opportunities: Iterable[Opportunity],
    *,
    today: date,
    wanted: Decimal | None = None,
) -> list[Fit]:
    """Each call with its reasons, best first: those the organisation may apply to, then by
    the criteria met, then the nearest deadline."""
    areas = set(organization.area_links.values_list("area", flat=True))
    fits = [fit_of(o, organization, areas, today=today, wanted=wanted) for o in opportunities]
    fits.sort(key=lambda f: (not f.eligible, -f.score, f.opportunity.closes_on, f.opportunity.pk))
    return fits
