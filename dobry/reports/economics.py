"""The practice's economics, public with their method: what volunteers' hours are worth
and what the support money comes to per resident helped. Each figure says its rate and
where the rate is set, its formula with the period's own numbers, and the period — so
that anyone can check it, not only staff."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from dobry.core.numbers import plain_number, roubles
from dobry.reports import hours, indicators
from dobry.reports.cache import cached
from dobry.reports.periods import Period
from dobry.resources.models import Giver, SupportRecord

BUDGET_GIVERS = (Giver.ADMINISTRATION, Giver.MUNICIPAL)
RATE_SETTING = "DOBRY_VOLUNTEER_HOUR_RATE"


@dataclass
class Economic:
    key: str
    label: str
    value: Decimal  # whole roubles
    definition: str
    formula: str  # with the period's own numbers
    method: str  # where the inputs come from, the rate and its setting, the period
    inputs: dict[str, Decimal] = field(default_factory=dict)
    setting: str = ""

    @property
    def text(self) -> str:
        return roubles(self.value)


def _span(period: Period) -> str:
    return _("с %(start)s по %(end)s") % {
        "start": formats.date_format(period.start, "j E Y"),
        "end": formats.date_format(period.counted_until, "j E Y"),
    }


def volunteer_value(period: Period) -> Economic:
    """Confirmed hours × the replacement rate (ILO method)."""
    counted = hours.tally(period).hours
    rate = Decimal(settings.DOBRY_VOLUNTEER_HOUR_RATE)
    value = (counted * rate).quantize(Decimal("1"))
    return Economic(
        "volunteer_value",
        _("Экономическая ценность часов волонтёров"),
        value,
        _(
            "Во что обошлась бы городу работа волонтёров, если бы за неё платили: "
            "стоимость замещения."
        ),
        _("%(hours)s ч × %(rate)s/ч = %(value)s")
        % {"hours": plain_number(counted), "rate": roubles(rate), "value": roubles(value)},
        _(
            "Подтверждённые организаторами часы добровольческой работы с датой в периоде "
            "(%(span)s), умноженные на ставку замещения %(rate)s за час — метод "
            "Международной организации труда (стоимость замещения: сколько стоил бы час "
            "такой работы на рынке труда). Ставку задаёт настройка %(setting)s; часы с "
            "датой впереди не считаются."
        )
        % {"span": _span(period), "rate": roubles(rate), "setting": RATE_SETTING},
        {"hours": counted, "rate_per_hour": rate},
        RATE_SETTING,
    )


def cost_per_resident(period: Period, *, helped: Decimal | None = None) -> Economic:
    """Support money of the period (budget and extra-budgetary) per resident helped:
    `helped` is the passport's indicator 6 (`indicators.helped_residents`, the one
    definition) — the value the same answer shows among the indicators when given, so
    one response never says two numbers for it."""
    totals = (
        SupportRecord.objects.happened()
        .in_period(period.start, period.end)
        .filter(value_rub__isnull=False)
        .aggregate(
            budget=Sum("value_rub", filter=Q(giver__in=BUDGET_GIVERS)),
            extra=Sum("value_rub", filter=~Q(giver__in=BUDGET_GIVERS)),
        )
    )
    budget, extra = totals["budget"] or Decimal(0), totals["extra"] or Decimal(0)
    if helped is None:
        helped = indicators.helped_residents(period).value
    value = ((budget + extra) / helped).quantize(Decimal("1")) if helped else Decimal(0)
    return Economic(
        "cost_per_resident",
        _("Затраты на одного получателя помощи"),
        value,
        _(
            "Сколько денег и оценённого имущества практика вложила в среднем в одного "
            "жителя, получившего помощь."
        ),
        _("(%(budget)s + %(extra)s) / %(helped)s чел. = %(value)s")
        % {
            "budget": roubles(budget),
            "extra": roubles(extra),
            "helped": plain_number(helped),
            "value": roubles(value),
        },
        _(
            "Стоимость поддержки в реестре поддержки с датой в периоде (%(span)s), где она "
            "оценена: из бюджета (администрация, муниципальные учреждения) и из "
            "внебюджетных источников (предприятия, ресурсный центр), — делится на число "
            "жителей, получивших помощь (показатель 6 паспорта). Нет получателей — 0."
        )
        % {"span": _span(period)},
        {"budget_rub": budget, "extra_budgetary_rub": extra, "residents_helped": helped},
    )


ALL = (volunteer_value, cost_per_resident)


def figures(
    period: Period, *, fresh: bool = False, helped: Decimal | None = None
) -> list[Economic]:
    """The economics of the period. `helped`: the residents helped as the indicators
    shown beside them say (`dashboard.helped_value`); the cost per resident is then
    computed from it, not from a separately cached count that may be older or newer."""
    if helped is not None:
        value = cached("economics-hours", period, lambda: volunteer_value(period), fresh=fresh)
        return [value, cost_per_resident(period, helped=helped)]
    return cached("economics", period, lambda: [build(period) for build in ALL], fresh=fresh)
