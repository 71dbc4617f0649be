"""Figures beyond the passport's six indicators, shown beside them: volunteer hours and
their economic value, municipal grants, and charity (money and help in kind received).
Each carries its definition and counting method, as the indicators do."""

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from dobry.charity.models import Donation, Pledge
from dobry.core.numbers import plain_number
from dobry.grants.models import Application, Competition, Expert
from dobry.reports import hours
from dobry.reports.counting import within
from dobry.reports.indicators import HUNDRED, Figure
from dobry.reports.periods import Period


def volunteering(period: Period) -> Figure:
    """Hours, their economic value (ILO replacement-cost method) and active volunteers."""
    counted = hours.tally(period)
    rate = Decimal(settings.DOBRY_VOLUNTEER_HOUR_RATE)
    return Figure(
        "volunteer_hours",
        _("Часы волонтёров"),
        counted.hours,
        _("ч"),
        _("Подтверждённые часы добровольческой работы и их экономическая ценность."),
        _(
            "Сумма подтверждённых часов с датой в периоде; ценность = часы × ставка замещения "
            "%(rate)s ₽/ч (метод МОТ); активные волонтёры — не меньше %(hours)s ч за период."
        )
        % {
            "rate": plain_number(rate),
            "hours": plain_number(settings.DOBRY_ACTIVE_VOLUNTEER_HOURS),
        },
        {
            "value_rub": (counted.hours * rate).quantize(Decimal("1")),
            "volunteers": counted.volunteers,
            "active_volunteers": counted.active,
        },
    )


def grants(period: Period) -> Figure:
    applications = Application.objects.filter(
        submitted_at__gte=period.starts_at, submitted_at__lt=period.ends_before
    )
    decided = Competition.objects.filter(
        results_published_at__gte=period.starts_at, results_published_at__lt=period.ends_before
    )
    winners = Application.objects.filter(competition__in=decided, awarded_amount__gt=0)
    amount = winners.aggregate(total=Sum("awarded_amount"))["total"] or Decimal(0)
    seats = Expert.objects.filter(competition__in=decided, is_active=True).aggregate(
        total=Count("id"), nko=Count("id", filter=Q(sector=Expert.Sector.NKO))
    )
    nko_share = (
        (Decimal(seats["nko"]) * HUNDRED / seats["total"]).quantize(Decimal("0.1"))
        if seats["total"]
        else Decimal(0)
    )
    return Figure(
        "grants",
        _("Гранты муниципальных конкурсов"),
        amount,
        "₽",
        _(
            "Поданные заявки, победители, распределённые суммы, доля представителей НКО среди экспертов."
        ),
        _(
            "Заявки — поданные в периоде; победители, суммы и эксперты — конкурсов, итоги "
            "которых опубликованы в периоде."
        ),
        {
            "applications": applications.count(),
            "winners": winners.count(),
            "nko_expert_share": nko_share,
        },
    )


def charity(period: Period) -> Figure:
    """Money received by donations, the donors, and help in kind received with its value
    (two queries)."""
    money = Donation.objects.filter(within("received_on", period, dates=True)).aggregate(
        total=Sum("amount", default=Decimal(0)),
        donors=Count("donor_key", distinct=True),
        campaigns=Count("campaign", distinct=True),
    )
    in_kind = Pledge.objects.filter(
        within("received_on", period, dates=True), status=Pledge.Status.RECEIVED
    ).aggregate(value=Sum("value", default=Decimal(0)), givers=Count("pledger", distinct=True))
    return Figure(
        "charity",
        _("Пожертвования"),
        money["total"],
        "₽",
        _("Деньги, полученные организациями от жертвователей, и помощь вещами и делом."),
        _(
            "Сумма пожертвований с датой поступления в периоде (записанных вручную и найденных "
            "в выписках банка); жертвователи — каждый один раз (по учётной записи, иначе по "
            "плательщику); помощь вещами — полученная в периоде, по оценке организации."
        ),
        {
            "donors": money["donors"],
            "campaigns": money["campaigns"],
            "in_kind_rub": in_kind["value"],
            "in_kind_givers": in_kind["givers"],
        },
    )


BEYOND: tuple[Callable[[Period], Figure], ...] = (volunteering, grants, charity)
