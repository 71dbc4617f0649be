"""The passport's six indicators and the figures beyond them, computed from the records
for any period. Each figure carries its definition and counting method, shown beside it,
so that anyone can see what was counted and check it.

People are counted once across sources by their account; a person known only by phone
(a help recipient) by that phone; a recipient known by neither is one person per chain of
requests (a recurring request and its visits)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.clock import happened_by_now, happened_by_today
from dobry.events.models import Event, Registration
from dobry.grants.models import Application, Competition, Expert
from dobry.helprequests.models import HelpRequest, Programme, ProgrammeRecord
from dobry.reports import hours
from dobry.reports.models import Indicator, ReachFigure
from dobry.reports.periods import Period
from dobry.resources.models import GroupMember, SupportKind, SupportRecord
from dobry.resources.models import Meeting as GroupMeeting
from dobry.volunteering.models import HoursEntry

HUNDRED = Decimal(100)


@dataclass
class Figure:
    key: str
    label: str
    value: Decimal
    unit: str
    definition: str
    method: str
    parts: dict[str, Decimal | int] = field(default_factory=dict)


def _share(people: int, extra: int = 0) -> Decimal:
    """People as a percentage of the population setting, at most 100."""
    share = Decimal(people + extra) * HUNDRED / Decimal(settings.DOBRY_POPULATION)
    return min(share, HUNDRED).quantize(Decimal("0.1"))


def _unique(*sources: QuerySet) -> int:
    """How many distinct ids the `values_list` querysets give together (SQL UNION)."""
    first, *rest = (source.order_by() for source in sources)
    return first.union(*rest).count() if rest else first.distinct().count()


def infrastructure_events_held(period: Period) -> QuerySet[Event]:
    """The period's infrastructure events that have begun (what has not, is not held)."""
    return (
        Event.objects.published()
        .happened()
        .filter(
            infrastructure=True, starts_at__gte=period.starts_at, starts_at__lt=period.ends_before
        )
    )


def group_meetings_held(period: Period) -> QuerySet[GroupMeeting]:
    return GroupMeeting.objects.filter(
        happened_by_now("starts_at"),
        starts_at__gte=period.starts_at,
        starts_at__lt=period.ends_before,
    )


def infrastructure_events(period: Period) -> Figure:
    events = infrastructure_events_held(period).count()
    meetings = group_meetings_held(period).count()
    return Figure(
        Indicator.INFRASTRUCTURE_EVENTS,
        str(Indicator.INFRASTRUCTURE_EVENTS.label),
        Decimal(events + meetings),
        _("мероприятий"),
        _(
            "Проведённые мероприятия площадки поддержки НКО, добровольчества и "
            "благотворительности: семинары, вебинары, форумы, фестиваль, информационные сессии "
            "конкурсов, встречи проектных групп."
        ),
        _(
            "Опубликованные и не отменённые мероприятия, отмеченные координаторами как "
            "мероприятия инфраструктуры проекта, с началом в периоде, плюс встречи проектных "
            "групп в периоде; будущие мероприятия и встречи не считаются, пока не начнутся."
        ),
        {"events": events, "group_meetings": meetings},
    )


def _participants(period: Period) -> QuerySet:
    return Registration.objects.filter(
        checked_in_at__gte=period.starts_at, checked_in_at__lt=period.ends_before
    ).values_list("user_id", flat=True)


def reach_figures(period: Period) -> QuerySet[ReachFigure]:
    """Reach of publications dated in the period, by today (a planned one has reached
    nobody yet)."""
    return ReachFigure.objects.filter(
        happened_by_today("date"), date__gte=period.start, date__lte=period.end
    )


def informed_share(period: Period) -> Figure:
    users = User.objects.filter(
        is_active=True, erased_at__isnull=True, date_joined__lt=period.ends_before
    ).values_list("id", flat=True)
    registered = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        shift__starts_at__gte=period.starts_at,
        shift__starts_at__lt=period.ends_before,
    ).values_list("user_id", flat=True)
    people = _unique(users, registered)
    reach = reach_figures(period).aggregate(total=Sum("people"))["total"] or 0
    return Figure(
        Indicator.INFORMED_SHARE,
        str(Indicator.INFORMED_SHARE.label),
        _share(people, reach),
        "%",
        _("Доля жителей, информированных о добровольческих и благотворительных проектах."),
        _(
            "(Уникальные люди на платформе: зарегистрированные к концу периода и записавшиеся "
            "на мероприятия периода + охват СМИ и социальных сетей по данным источников) / "
            "население %(population)s × 100, не больше 100 %%. Охваты внешних источников "
            "складываются как есть: с пользователями платформы они могут пересекаться."
        )
        % {"population": settings.DOBRY_POPULATION},
        {"platform_people": people, "reach": reach, "population": settings.DOBRY_POPULATION},
    )


def _group_extra(period: Period) -> int:
    """Unnamed people of family, class and team entries who came (places beyond the one
    who signed up)."""
    return (
        Registration.objects.filter(
            checked_in_at__gte=period.starts_at, checked_in_at__lt=period.ends_before
        )
        .exclude(group=Registration.Group.INDIVIDUAL)
        .aggregate(extra=Sum(F("seats") - 1))["extra"]
        or 0
    )


def involved_share(period: Period) -> Figure:
    volunteered = (
        HoursEntry.objects.confirmed()
        .happened()
        .filter(date__gte=period.start, date__lte=period.end)
        .values_list("user_id", flat=True)
    )
    applied = Application.objects.filter(
        submitted_at__gte=period.starts_at,
        submitted_at__lt=period.ends_before,
        applicant__isnull=False,
    ).values_list("applicant_id", flat=True)
    running = GroupMember.objects.filter(
        happened_by_now("group__meetings__starts_at"),
        group__meetings__starts_at__gte=period.starts_at,
        group__meetings__starts_at__lt=period.ends_before,
    ).values_list("user_id", flat=True)
    people = _unique(volunteered, _participants(period), applied, running)
    extra = _group_extra(period)
    return Figure(
        Indicator.INVOLVED_SHARE,
        str(Indicator.INVOLVED_SHARE.label),
        _share(people, extra),
        "%",
        _("Доля жителей, вовлечённых в добровольческую и благотворительную деятельность."),
        _(
            "(Уникальные люди с подтверждёнными часами волонтёрства в периоде, пришедшие на "
            "мероприятия периода, подавшие заявки на конкурсы в периоде, ведущие проекты в "
            "проектных группах, встречавшихся в периоде (прошедшие встречи), + участники групповых записей сверх "
            "записавшегося) / население %(population)s × 100. Один человек "
            "считается один раз, из скольких бы источников он ни пришёл."
        )
        % {"population": settings.DOBRY_POPULATION},
        {"people": people, "group_extra": extra, "population": settings.DOBRY_POPULATION},
    )


def _supported(records: QuerySet) -> int:
    organisations = (
        records.filter(organization__isnull=False)
        .values_list("organization_id", flat=True)
        .distinct()
        .count()
    )
    people = (
        records.filter(organization__isnull=True, person__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
        .count()
    )
    return organisations + people


def supported_organisations(period: Period) -> Figure:
    records = SupportRecord.objects.happened().in_period(period.start, period.end)
    by_kind: dict[str, Decimal | int] = {
        kind.value: _supported(records.filter(kind=kind)) for kind in SupportKind
    }
    return Figure(
        Indicator.SUPPORTED_ORGANISATIONS,
        str(Indicator.SUPPORTED_ORGANISATIONS.label),
        Decimal(_supported(records)),
        _("организаций и групп"),
        _(
            "СО НКО, инициативные группы и жители, создающие их, получившие поддержку: "
            "административную, организационную, информационную, консультационную, "
            "имущественную, финансовую."
        ),
        _(
            "Уникальные организации (и жители без организации) в реестре поддержки с датой "
            "в периоде, не позже сегодняшнего дня (забронированное на будущее — ещё не "
            "поддержка); по видам — сколько получили поддержку этого вида."
        ),
        by_kind,
    )


def programmes_running(period: Period) -> QuerySet[Programme]:
    """Active programmes that have started by the period's end — or by today, while the
    period runs — and not ended before it began."""
    return (
        Programme.objects.filter(is_active=True, starts_on__lte=period.end)
        .filter(happened_by_today("starts_on"))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
    )


def programmes(period: Period) -> Figure:
    running = programmes_running(period).count()
    return Figure(
        Indicator.PROGRAMMES,
        str(Indicator.PROGRAMMES.label),
        Decimal(running),
        _("программ"),
        _("Программы добровольческой и благотворительной помощи, работающие в городе."),
        _(
            "Действующие программы организаций, период работы которых пересекается с "
            "периодом; программа, которая ещё не началась, не считается."
        ),
    )


def _recipient_key() -> Case:
    root = Cast(Coalesce("parent_id", "id"), CharField())
    return Case(
        When(recipient_phone="", then=Concat(Value("request:"), root)),
        default=Concat(Value("phone:"), "recipient_phone"),
        output_field=CharField(),
    )


def programme_recipients(period: Period) -> dict[int, int]:
    """People each programme recorded as helped in the period beyond the platform's
    requests: everyone of the first month with a record, then those helped for the first
    time in the months after — so a regular counts once. Months overlapping the period
    count whole."""
    counted: dict[int, int] = {}
    records = (
        ProgrammeRecord.objects.filter(
            happened_by_today("month"),
            month__gte=period.start.replace(day=1),
            month__lte=period.end,
        )
        .order_by("programme_id", "month")
        .values_list("programme_id", "people", "first_time")
    )
    for programme, people, first_time in records:
        counted[programme] = counted[programme] + first_time if programme in counted else people
    return counted


def helped_residents(period: Period) -> Figure:
    done = HelpRequest.objects.filter(
        status=HelpRequest.Status.DONE,
        closed_at__gte=period.starts_at,
        closed_at__lt=period.ends_before,
    )
    requested = done.annotate(person=_recipient_key()).values("person").distinct().count()
    recorded = sum(programme_recipients(period).values())
    return Figure(
        Indicator.HELPED_RESIDENTS,
        str(Indicator.HELPED_RESIDENTS.label),
        Decimal(requested + recorded),
        _("человек"),
        _("Жители, получившие добровольческую и благотворительную помощь."),
        _(
            "Уникальные получатели выполненных в периоде просьб о помощи (один человек — один "
            "номер телефона; без телефона — одна цепочка повторяющихся просьб) плюс "
            "получатели по записям программ помимо просьб: все получатели первого месяца "
            "периода с записью и впервые получившие помощь в следующих месяцах, так что "
            "постоянный получатель считается один раз."
        ),
        {
            "requests_done": done.count(),
            "request_recipients": requested,
            "programme_recipients": recorded,
        },
    )


PASSPORT: tuple[Callable[[Period], Figure], ...] = (
    infrastructure_events,
    informed_share,
    involved_share,
    supported_organisations,
    programmes,
    helped_residents,
)


def passport(period: Period) -> list[Figure]:
    return [compute(period) for compute in PASSPORT]


# --- beyond the passport -------------------------------------------------------------------


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
        % {"rate": rate, "hours": settings.DOBRY_ACTIVE_VOLUNTEER_HOURS},
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


BEYOND: tuple[Callable[[Period], Figure], ...] = (volunteering, grants)


def part_labels() -> dict[str, str]:
    """Names of the parts figures are made of, as the pages show them."""
    labels = {
        "events": _("мероприятия инфраструктуры"),
        "group_meetings": _("встречи проектных групп"),
        "platform_people": _("люди на платформе"),
        "reach": _("охват СМИ и соцсетей"),
        "population": _("население"),
        "people": _("уникальные люди"),
        "group_extra": _("участники групповых записей сверх записавшегося"),
        "requests_done": _("выполненные просьбы"),
        "request_recipients": _("получатели помощи по просьбам"),
        "programme_recipients": _("получатели помощи по записям программ"),
        "value_rub": _("экономическая ценность, ₽"),
        "volunteers": _("волонтёры с подтверждёнными часами"),
        "active_volunteers": _("активные волонтёры"),
        "applications": _("поданные заявки"),
        "winners": _("победители"),
        "nko_expert_share": _("доля экспертов от НКО, %"),
    }
    labels |= {kind.value: str(kind.label) for kind in SupportKind}
    return labels
