"""Breakdowns of the period's activity (aggregates only): volunteers by age group, hours by
area and organisation kind, help by district, support by kind of organisation, and the
money behind the practice per recipient."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from dobry.helprequests.models import HelpRequest
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.reports import economics, grant_money, hours
from dobry.reports.cache import cached
from dobry.reports.periods import Period
from dobry.resources.models import SupportRecord


@dataclass
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[str | Decimal | int]]
    method: str = ""  # how it is counted, shown under it (and as the sheet's last row)


def by_age(period: Period) -> Table:
    """Volunteers and their hours by age on the period's last day."""
    labels = [str(label) for label, *_range in hours.AGE_GROUPS] + [str(hours.AGE_UNKNOWN)]
    return Table(
        "age",
        _("Волонтёры по возрасту"),
        (_("Возраст"), _("Волонтёров"), _("Часов")),
        [
            (label, people, total)
            for label, (people, total) in zip(labels, hours.tally(period).by_age, strict=True)
        ],
    )


def by_area(period: Period) -> Table:
    labels = dict(Area.choices)
    areas = sorted(hours.tally(period).by_area.items(), key=lambda item: -item[1][1])
    return Table(
        "area",
        _("Часы по направлениям деятельности"),
        (_("Направление"), _("Волонтёров"), _("Часов")),
        [
            (str(labels.get(area, _("не указано"))), people, total)
            for area, (people, total) in areas
        ],
    )


def by_organisation_kind(period: Period) -> Table:
    labels = dict(Organization.Kind.choices)
    by_kind = hours.tally(period).by_kind
    support = {
        row["organization__kind"]: row["count"]
        for row in SupportRecord.objects.happened()
        .in_period(period.start, period.end)
        .filter(organization__isnull=False)
        .values("organization__kind")
        .annotate(count=Count("organization", distinct=True))
    }
    kinds = sorted(set(by_kind) | set(support), key=lambda kind: str(labels.get(kind, kind)))
    return Table(
        "kind",
        _("По видам организаций"),
        (_("Вид организации"), _("Часов волонтёров"), _("Получили поддержку")),
        [
            (str(labels.get(kind, kind)), by_kind.get(kind, Decimal(0)), support.get(kind, 0))
            for kind in kinds
        ],
    )


def by_district(period: Period) -> Table:
    rows = [
        (row["district__name"] or _("район не указан"), row["count"])
        for row in HelpRequest.objects.filter(
            status=HelpRequest.Status.DONE,
            closed_at__gte=period.starts_at,
            closed_at__lt=period.ends_before,
        )
        .values("district__name", "district__position")
        .annotate(count=Count("id"))
        .order_by("district__position", "district__name")
    ]
    return Table(
        "district",
        _("Выполненные просьбы о помощи по районам"),
        (_("Район"), _("Просьб выполнено")),
        rows,
    )


def money(period: Period) -> Table:
    """What was given in money and in kind (where valued), from the budget and from
    extra-budgetary sources, and per resident helped (`economics.cost_per_resident`)."""
    cost = economics.cost_per_resident(period)
    budget, extra = cost.inputs["budget_rub"], cost.inputs["extra_budgetary_rub"]
    return Table(
        "money",
        _("Средства практики"),
        (_("Источник"), _("Сумма, ₽")),
        [
            (_("бюджет (администрация, муниципальные учреждения)"), budget),
            (_("внебюджетные средства (предприятия, ресурсный центр)"), extra),
            (_("всего"), budget + extra),
            (_("на одного получателя помощи"), cost.value),
        ],
    )


def grants_by_area(period: Period) -> Table:
    """Grant money per area of the municipal programme: granted, paid, spent
    (`grant_money.grant_money`), then the total."""
    counted = grant_money.grant_money(period)
    return Table(
        "grant_money",
        _("Грантовые средства по направлениям"),
        counted.header,
        [(row.label, row.granted, row.paid, row.spent) for row in [*counted.rows, counted.total]],
        counted.method,
    )


ALL = (by_age, by_area, by_organisation_kind, by_district, money, grants_by_area)


def tables(period: Period, *, fresh: bool = False) -> list[Table]:
    return cached("breakdowns", period, lambda: [build(period) for build in ALL], fresh=fresh)
