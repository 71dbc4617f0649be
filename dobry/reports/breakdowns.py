"""Breakdowns of the period's activity (aggregates only): volunteers by age group, hours by
area and organisation kind, help by district, support by kind of organisation, and the
money behind the practice per recipient."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.helprequests.models import HelpRequest
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.reports import indicators
from dobry.reports.dashboard import cached
from dobry.reports.periods import Period
from dobry.resources.models import Giver, SupportRecord
from dobry.volunteering.models import HoursEntry, VolunteerProfile

# (label, youngest age, oldest age) — the age on the period's last day.
AGE_GROUPS = (
    (gettext_lazy("до 14 лет"), 0, 13),
    (gettext_lazy("14–17 лет"), 14, 17),
    (gettext_lazy("18–35 лет"), 18, 35),
    (gettext_lazy("36–54 года"), 36, 54),
    (gettext_lazy("55 лет и старше"), 55, 200),
)
BUDGET_GIVERS = (Giver.ADMINISTRATION, Giver.MUNICIPAL)


@dataclass
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[str | Decimal | int]]


def _hours(period: Period) -> QuerySet[HoursEntry]:
    return HoursEntry.objects.confirmed().filter(date__gte=period.start, date__lte=period.end)


def by_age(period: Period) -> Table:
    """People and hours by age on the period's last day: the per-person sums joined to
    the birth dates, then counted here."""
    per_person = indicators.hours_per_volunteer(period)
    # every profile's birth date (one row per volunteer, far fewer than hour entries)
    births = dict(
        VolunteerProfile.objects.filter(date_of_birth__isnull=False).values_list(
            "user_id", "date_of_birth"
        )
    )
    unknown = str(_("возраст не указан"))
    counts: dict[str, list[Decimal | int]] = {
        str(label): [0, Decimal(0)] for label, *_ in AGE_GROUPS
    }
    counts[unknown] = [0, Decimal(0)]
    for person, hours in per_person:
        born = births.get(person)
        group = unknown
        if born is not None:
            age = relativedelta(period.end, born).years
            group = next(
                (str(label) for label, youngest, oldest in AGE_GROUPS if youngest <= age <= oldest),
                unknown,
            )
        counts[group][0] += 1
        counts[group][1] += hours
    return Table(
        "age",
        _("Волонтёры по возрасту"),
        (_("Возраст"), _("Волонтёров"), _("Часов")),
        [(label, people, hours) for label, (people, hours) in counts.items()],
    )


def by_area(period: Period) -> Table:
    labels = dict(Area.choices)
    rows = [
        (str(labels.get(row["area"], _("не указано"))), row["people"], row["total"])
        for row in _hours(period)
        .values("area")
        .annotate(people=Count("user", distinct=True), total=Sum("hours"))
        .order_by("-total")
    ]
    return Table(
        "area",
        _("Часы по направлениям деятельности"),
        (_("Направление"), _("Волонтёров"), _("Часов")),
        rows,
    )


def by_organisation_kind(period: Period) -> Table:
    labels = dict(Organization.Kind.choices)
    hours = {
        row["organization__kind"]: row["total"]
        for row in _hours(period).values("organization__kind").annotate(total=Sum("hours"))
    }
    support = {
        row["organization__kind"]: row["count"]
        for row in SupportRecord.objects.filter(
            date__gte=period.start, date__lte=period.end, organization__isnull=False
        )
        .values("organization__kind")
        .annotate(count=Count("organization", distinct=True))
    }
    kinds = sorted(set(hours) | set(support), key=lambda kind: str(labels.get(kind, kind)))
    return Table(
        "kind",
        _("По видам организаций"),
        (_("Вид организации"), _("Часов волонтёров"), _("Получили поддержку")),
        [
            (str(labels.get(kind, kind)), hours.get(kind) or Decimal(0), support.get(kind, 0))
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
    extra-budgetary sources, and per resident helped."""
    records = SupportRecord.objects.filter(
        date__gte=period.start, date__lte=period.end, value_rub__isnull=False
    )
    totals = records.aggregate(
        budget=Sum("value_rub", filter=Q(giver__in=BUDGET_GIVERS)),
        extra=Sum("value_rub", filter=~Q(giver__in=BUDGET_GIVERS)),
    )
    budget, extra = totals["budget"] or Decimal(0), totals["extra"] or Decimal(0)
    helped = indicators.helped_residents(period).value
    per_recipient = ((budget + extra) / helped).quantize(Decimal("1")) if helped else Decimal(0)
    return Table(
        "money",
        _("Средства практики"),
        (_("Источник"), _("Сумма, ₽")),
        [
            (_("бюджет (администрация, муниципальные учреждения)"), budget),
            (_("внебюджетные средства (предприятия, ресурсный центр)"), extra),
            (_("всего"), budget + extra),
            (_("на одного получателя помощи"), per_recipient),
        ],
    )


ALL = (by_age, by_area, by_organisation_kind, by_district, money)


def tables(period: Period, *, fresh: bool = False) -> list[Table]:
    return cached("breakdowns", period, lambda: [build(period) for build in ALL], fresh=fresh)
