"""The passport's six indicators and the figures beyond them, computed from the records
for any period. Each figure carries its definition and counting method, shown beside it,
so that anyone can see what was counted and check it.

People are counted once across sources by their account; a person known only by phone
(a help recipient) by that phone; a recipient known by neither is one person per chain of
requests (a recurring request and its visits)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.charity.models import Donation, Pledge
from dobry.civic.models import Initiative, Support, TeamMember, VoterMark
from dobry.communications.models import Delivery
from dobry.core.clock import happened_by_now, happened_by_today
from dobry.events.models import Event, Registration
from dobry.festivals.models import PROGRAMME_KINDS, SessionRegistration
from dobry.grants.models import Agreement, Application, GrantReport, ReportDue
from dobry.helprequests.models import HelpRequest, Programme, ProgrammeRecord
from dobry.organizations.models import Membership
from dobry.reports.counting import (
    INDEX,
    Source,
    Span,
    check,
    cumulative,
    distinct_people,
    grouped,
    joined_index,
    per_period,
    within,
)
from dobry.reports.models import Indicator, ReachFigure
from dobry.reports.periods import Period
from dobry.resources.models import Meeting as GroupMeeting
from dobry.resources.models import SupportKind, SupportRecord
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


def _each(build: Callable[..., Figure], *columns: list) -> list[Figure]:
    """A figure per period from the columns of values counted for all the periods."""
    return [build(*values) for values in zip(*columns, strict=True)]


def _held_events() -> QuerySet[Event]:
    """Published infrastructure events that have begun (what has not, is not held): those
    coordinators marked, and every forum and festival (issue 16)."""
    return (
        Event.objects.published()
        .happened()
        .filter(Q(infrastructure=True) | Q(kind__in=PROGRAMME_KINDS))
    )


def _held_meetings() -> QuerySet[GroupMeeting]:
    return GroupMeeting.objects.filter(happened_by_now("starts_at"))


def infrastructure_events_held(period: Period) -> QuerySet[Event]:
    """The period's infrastructure events that have begun."""
    return _held_events().filter(within("starts_at", period))


def group_meetings_held(period: Period) -> QuerySet[GroupMeeting]:
    return _held_meetings().filter(within("starts_at", period))


def infrastructure_events_per_period(periods: Sequence[Period]) -> list[Figure]:
    events = per_period(_held_events(), "starts_at", periods, count=Count("pk"))
    meetings = per_period(_held_meetings(), "starts_at", periods, count=Count("pk"))
    definition = _(
        "Проведённые мероприятия площадки поддержки НКО, добровольчества и "
        "благотворительности: семинары, вебинары, форумы, фестиваль, информационные сессии "
        "конкурсов, встречи проектных групп."
    )
    method = _(
        "Опубликованные и не отменённые мероприятия, отмеченные координаторами как "
        "мероприятия инфраструктуры проекта, а также все форумы и фестивали, с началом в периоде, плюс встречи проектных "
        "групп в периоде; будущие мероприятия и встречи не считаются, пока не начнутся."
    )

    def build(held: dict, met: dict) -> Figure:
        return Figure(
            Indicator.INFRASTRUCTURE_EVENTS,
            str(Indicator.INFRASTRUCTURE_EVENTS.label),
            Decimal(held["count"] + met["count"]),
            _("мероприятий"),
            definition,
            method,
            {"events": held["count"], "group_meetings": met["count"]},
        )

    return _each(build, events, meetings)


def reach_figures(period: Period) -> QuerySet[ReachFigure]:
    """Reach of publications dated in the period, by today (a planned one has reached
    nobody yet)."""
    return ReachFigure.objects.filter(happened_by_today("date"), within("date", period, dates=True))


def _platform_people(periods: Sequence[Period]) -> list[int]:
    """People on the platform in each period: the accounts registered by its end, and
    those who signed up for its shifts — each once. The accounts are counted cumulatively
    by the period their owners joined in; a shift's registrant adds to them only when their
    account is not counted there (closed, erased, or joined after the period)."""
    accounts = cumulative(
        User.objects.filter(is_active=True, erased_at__isnull=True), "date_joined", periods
    )
    registrants = per_period(
        Registration.objects.filter(status=Registration.Status.CONFIRMED).annotate(
            joined=joined_index("user__date_joined", periods)
        ),
        "shift__starts_at",
        periods,
        where=Q(user__is_active=False) | Q(user__erased_at__isnull=False) | Q(joined__gt=F(INDEX)),
        people=Count("user", distinct=True),
    )
    return [joined + other["people"] for joined, other in zip(accounts, registrants, strict=True)]


def _population_shares(
    indicator: Indicator,
    counted: list[int],
    more: list[dict],
    *,
    parts: tuple[str, ...],
    definition: str,
    method: str,
) -> list[Figure]:
    """The passport's two shares of the population, a figure per period: (people counted +
    the period's `more[…][name]` for each further name of `parts`) / `DOBRY_POPULATION` ×
    100, at most 100 (`_share`). `method` names the population as `%(population)s`; the
    figure's parts are the addends under the names `parts` and the population."""
    population = settings.DOBRY_POPULATION
    said = method % {"population": population}
    counted_name, *more_names = parts

    def build(people: int, extra: dict) -> Figure:
        added = {name: extra[name] for name in more_names}
        return Figure(
            indicator,
            str(indicator.label),
            _share(people, sum(added.values())),
            "%",
            definition,
            said,
            {counted_name: people, **added, "population": population},
        )

    return _each(build, counted, more)


def mailing_reach_per_period(periods: Sequence[Period]) -> list[int]:
    """People a mailing reached in each period beyond those counted on the platform: the
    different addresses of deliveries sent in the period and not reported bounced
    (`communications.Delivery`), of recipients who are not a platform account counted in
    `_platform_people` — imported contacts, and accounts closed or erased since (an erased
    account's deliveries keep a keyed hash of the address, so it still counts once)."""
    return [
        row["people"]
        for row in per_period(
            Delivery.objects.filter(state=Delivery.State.SENT, bounced_at__isnull=True),
            "sent_at",
            periods,
            where=Q(user__isnull=True)
            | Q(user__is_active=False)
            | Q(user__erased_at__isnull=False),
            people=Count("email", distinct=True),
        )
    ]


def informed_share_per_period(periods: Sequence[Period]) -> list[Figure]:
    people = _platform_people(periods)
    mailed = mailing_reach_per_period(periods)
    reach = per_period(
        ReachFigure.objects.filter(happened_by_today("date")),
        "date",
        periods,
        dates=True,
        people=Sum("people"),
    )
    population = settings.DOBRY_POPULATION
    definition = _("Доля жителей, информированных о добровольческих и благотворительных проектах.")
    method = _(
        "(Уникальные люди на платформе: зарегистрированные к концу периода и записавшиеся "
        "на мероприятия периода + получатели рассылок периода, которых нет среди них: "
        "разные адреса, которым письмо рассылки доставлено (отправлено и не вернулось), — "
        "импортированные контакты и закрытые с тех пор аккаунты + охват СМИ и социальных "
        "сетей по данным источников) / население %(population)s × 100, не больше 100 %%. "
        "Каждый человек на платформе и каждый адрес рассылки считается один раз; охваты "
        "внешних источников складываются как есть: с ними люди могут пересекаться."
    ) % {"population": population}

    def build(platform: int, mailing: int, reached: dict) -> Figure:
        return Figure(
            Indicator.INFORMED_SHARE,
            str(Indicator.INFORMED_SHARE.label),
            _share(platform + mailing, reached["people"]),
            "%",
            definition,
            method,
            {
                "platform_people": platform,
                "mailing_reach": mailing,
                "reach": reached["people"],
                "population": population,
            },
        )

    return _each(build, people, mailed, reach)


def _accepted_final_reports() -> QuerySet[GrantReport]:
    """Grant projects' accepted final reports: each project's counts once (an interim
    report's are part of its final one), dated by the acceptance."""
    return GrantReport.objects.filter(kind=ReportDue.Kind.FINAL, status=GrantReport.Status.ACCEPTED)


# Those who run a grant project on the platform: the organisation's owners and editors
# fill in and submit its reports (`grants.permissions`), as the applicant does.
PROJECT_RUNNERS = (Membership.Role.OWNER, Membership.Role.EDITOR)


def grant_projects_running() -> QuerySet[Agreement]:
    """Grant projects under a signed agreement (or finished: the final report accepted)
    that have begun by today; a terminated agreement's project is not counted."""
    return Agreement.objects.filter(
        happened_by_today("starts_on"),
        status__in=(Agreement.Status.SIGNED, Agreement.Status.CLOSED),
    )


def grant_project_teams() -> list[Span]:
    """The people the platform knows run each grant project, over the project's running
    time (`starts_on`–`ends_on`, from the agreement): the applicant, and the owners and
    editors of the grantee organisation. Plain members and the people of the application's
    «team» text are not known as the project's team and are not counted."""
    projects = grant_projects_running()
    return [
        Span(
            projects.filter(application__applicant__isnull=False),
            "starts_on",
            "ends_on",
            "application__applicant_id",
        ),
        Span(
            projects.filter(application__organization__memberships__role__in=PROJECT_RUNNERS),
            "starts_on",
            "ends_on",
            "application__organization__memberships__user_id",
        ),
    ]


def involved_share_per_period(periods: Sequence[Period]) -> list[Figure]:
    """Volunteers with confirmed hours, people who came to events, applicants to grant
    competitions, members of project groups that met, givers, the authors, supporters and
    team members of city initiatives, residents who voted in residents' votes (by the day of
    the list of who voted, never the ballot), and the teams of grant projects running
    (`grant_project_teams`) — each once in a period — plus the unnamed people of family,
    class and team entries who came (places beyond the one who signed up)."""
    people = distinct_people(
        [
            Source(HoursEntry.objects.confirmed().happened(), "date", "user_id", dates=True),
            Source(Registration.objects.all(), "checked_in_at", "user_id"),
            Source(
                Application.objects.filter(applicant__isnull=False), "submitted_at", "applicant_id"
            ),
            Source(_held_meetings(), "starts_at", "group__memberships__user_id"),
            Source(Donation.objects.exclude(donor=None), "received_on", "donor_id", dates=True),
            Source(_received_pledges(), "received_on", "pledger_id", dates=True),
            Source(_payer_donations(), "received_on", "payer_person", dates=True),
            Source(Initiative.objects.exclude(author=None), "created_at", "author_id"),
            # with the supports taken back and the places left since: the person supported
            # or joined in the period, and a past period's figure must not change
            Source(Support.objects.all(), "created_at", "user_id"),
            Source(TeamMember.objects.all(), "created_at", "user_id"),
            Source(VoterMark.objects.exclude(user=None), "voted_on", "user_id", dates=True),
            *grant_project_teams(),
            Source(_forum_participants(), "session__starts_at", "user_id"),
        ],
        periods,
    )
    extra = per_period(
        Registration.objects.exclude(group=Registration.Group.INDIVIDUAL),
        "checked_in_at",
        periods,
        group_extra=Sum(F("seats") - 1),
    )
    reported = per_period(
        _accepted_final_reports(),
        "decided_at",
        periods,
        grant_participants=Coalesce(Sum("participants"), 0),
    )
    return _population_shares(
        Indicator.INVOLVED_SHARE,
        people,
        [group | grant for group, grant in zip(extra, reported, strict=True)],
        parts=("people", "group_extra", "grant_participants"),
        definition=_(
            "Доля жителей, вовлечённых в добровольческую и благотворительную деятельность."
        ),
        method=_(
            "(Уникальные люди с подтверждёнными часами волонтёрства в периоде, пришедшие на "
            "мероприятия периода, подавшие заявки на конкурсы в периоде, ведущие проекты в "
            "проектных группах, встречавшихся в периоде (прошедшие встречи), ведущие "
            "грантовые проекты, которые шли в периоде (по подписанному соглашению, со дня "
            "начала проекта по день окончания, если он уже начался): заявитель, владельцы и "
            "редакторы организации — получателя гранта, пожертвовавшие "
            "деньги или передавшие помощь вещами в периоде, выдвинувшие городскую инициативу, "
            "поддержавшие её или вступившие в её команду в периоде (даже если потом отозвали "
            "поддержку или вышли из команды), проголосовавшие в "
            "голосованиях жителей в периоде (по списку проголосовавших, на сайте или бумажным "
            "бюллетенем), участники сессий форумов и фестивалей, начавшихся в периоде (на "
            "сессии, где организаторы отметили пришедших, — пришедшие, на остальных — "
            "записавшиеся), — "
            "по учётной записи, а жертвователи "
            "без неё — по плательщику из выписки банка или записи о наличных, каждый один раз и "
            "отдельно от остальных (их не с кем сопоставить; организации-плательщики не "
            "считаются), + участники групповых записей сверх записавшегося + участники "
            "грантовых проектов по итоговым отчётам, принятым в периоде, — числа без имён, "
            "добавленные как указаны получателями грантов: их не с кем сопоставить, и человек "
            "из них, известный платформе, может быть посчитан дважды) / население "
            "%(population)s × 100. Один человек с учётной записью считается один раз, из "
            "скольких бы источников он ни пришёл."
        ),
    )


def _forum_participants() -> QuerySet[SessionRegistration]:
    """Participants of sessions of forums and festivals that were not cancelled, dated by
    the session's start (a session not yet begun is not counted): where the organisers
    marked who came, those who came; elsewhere, those who registered."""
    marked = SessionRegistration.objects.filter(
        session_id=OuterRef("session_id"), attended_at__isnull=False
    )
    return SessionRegistration.objects.filter(
        happened_by_now("session__starts_at"), session__status="scheduled"
    ).filter(Q(attended_at__isnull=False) | ~Exists(marked))


def _received_pledges() -> QuerySet[Pledge]:
    return Pledge.objects.filter(status=Pledge.Status.RECEIVED).exclude(pledger=None)


# A legal entity's ИНН has 10 digits (a person's 12): such a payer is not a resident.
LEGAL_ENTITY_INN = r"^[0-9]{10}$"


def _payer_donations() -> QuerySet[Donation]:
    """Donations of donors known only by payer (a statement's line, a cash record), each
    payer named by a negative number — minus the first donation's id with its `donor_key` —
    so that they join the union of accounts (positive ids) without ever meeting one:
    counted once each, separately. Not organisations paying from their accounts."""
    first = Donation.objects.filter(donor_key=OuterRef("donor_key")).order_by("pk").values("pk")
    return (
        Donation.objects.filter(donor=None)
        .exclude(entry__payer_inn__regex=LEGAL_ENTITY_INN)
        .annotate(payer_person=-Subquery(first[:1]))
    )


# Those supported: organisations, and residents supported without one.
ORGANISATIONS = Count("organization", distinct=True)
RESIDENTS = Count("person", distinct=True, filter=Q(organization__isnull=True))


def supported_organisations_per_period(periods: Sequence[Period]) -> list[Figure]:
    """Organisations (and residents without one) supported, in all and by kind of support:
    two queries for all the periods."""
    records = SupportRecord.objects.happened()
    totals = per_period(
        records, "date", periods, dates=True, organisations=ORGANISATIONS, people=RESIDENTS
    )
    kinds = grouped(
        records,
        "date",
        periods,
        dates=True,
        by=["kind"],
        organisations=ORGANISATIONS,
        people=RESIDENTS,
    )
    definition = _(
        "СО НКО, инициативные группы и жители, создающие их, получившие поддержку: "
        "административную, организационную, информационную, консультационную, "
        "имущественную, финансовую."
    )
    method = _(
        "Уникальные организации (и жители без организации) в реестре поддержки с датой "
        "в периоде, не позже сегодняшнего дня (забронированное на будущее — ещё не "
        "поддержка); по видам — сколько получили поддержку этого вида."
    )

    def build(total: dict, by_kind: list[dict]) -> Figure:
        counted = {row["kind"]: row["organisations"] + row["people"] for row in by_kind}
        return Figure(
            Indicator.SUPPORTED_ORGANISATIONS,
            str(Indicator.SUPPORTED_ORGANISATIONS.label),
            Decimal(total["organisations"] + total["people"]),
            _("организаций и групп"),
            definition,
            method,
            {kind.value: counted.get(kind.value, 0) for kind in SupportKind},
        )

    return _each(build, totals, kinds)


def _runs_in(period: Period) -> Q:
    """A programme that has started by the period's end and not ended before it began."""
    return Q(starts_on__lte=period.end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))


def _started_programmes() -> QuerySet[Programme]:
    # a returned or blocked organisation's programmes are not counted, as the catalogue
    # hides them (`ProgrammeQuerySet.of_verified`)
    return Programme.objects.of_verified().filter(happened_by_today("starts_on"), is_active=True)


def programmes_running(period: Period) -> QuerySet[Programme]:
    """Active programmes that have started by the period's end — or by today, while the
    period runs — and not ended before it began."""
    return _started_programmes().filter(_runs_in(period))


def programmes_per_period(periods: Sequence[Period]) -> list[Figure]:
    check(periods)
    running = _started_programmes().aggregate(
        **{f"period_{n}": Count("pk", filter=_runs_in(period)) for n, period in enumerate(periods)}
    )
    definition = _("Программы добровольческой и благотворительной помощи, работающие в городе.")
    method = _(
        "Действующие программы проверенных организаций, период работы которых "
        "пересекается с периодом; программа, которая ещё не началась, не считается."
    )
    return [
        Figure(
            Indicator.PROGRAMMES,
            str(Indicator.PROGRAMMES.label),
            Decimal(running[f"period_{n}"]),
            _("программ"),
            definition,
            method,
        )
        for n in range(len(periods))
    ]


def _recipient_key() -> Case:
    root = Cast(Coalesce("parent_id", "id"), CharField())
    return Case(
        When(recipient_phone="", then=Concat(Value("request:"), root)),
        default=Concat(Value("phone:"), "recipient_phone"),
        output_field=CharField(),
    )


def programme_recipients_per_period(periods: Sequence[Period]) -> list[dict[int, int]]:
    """People each programme recorded as helped in each period beyond the platform's
    requests — records a coordinator confirmed only (`helprequests.services.programmes.
    programme_record_confirm`): everyone of the first month with a record, then those helped for the first
    time in the months after — so a regular counts once. Months overlapping a period count
    whole (so one record may count in two periods that share its month)."""
    if not periods:
        return []
    check(periods)
    records = list(
        ProgrammeRecord.objects.filter(
            happened_by_today("month"),
            confirmed_at__isnull=False,
            month__gte=periods[0].start.replace(day=1),
            month__lte=periods[-1].end,
        )
        .order_by("programme_id", "month")
        .values_list("programme_id", "month", "people", "first_time")
    )
    result = []
    for period in periods:
        counted: dict[int, int] = {}
        first_month = period.start.replace(day=1)
        for programme, month, people, first_time in records:
            if first_month <= month <= period.end:
                counted[programme] = (
                    counted[programme] + first_time if programme in counted else people
                )
        result.append(counted)
    return result


def programme_recipients(period: Period) -> dict[int, int]:
    return programme_recipients_per_period([period])[0]


def helped_residents_per_period(periods: Sequence[Period]) -> list[Figure]:
    requests = per_period(
        HelpRequest.objects.filter(status=HelpRequest.Status.DONE),
        "closed_at",
        periods,
        done=Count("pk"),
        people=Count(_recipient_key(), distinct=True),
    )
    recorded = [sum(counted.values()) for counted in programme_recipients_per_period(periods)]
    reported = per_period(
        _accepted_final_reports(),
        "decided_at",
        periods,
        grant_recipients=Coalesce(Sum("recipients"), 0),
    )
    definition = _("Жители, получившие добровольческую и благотворительную помощь.")
    method = _(
        "Уникальные получатели выполненных в периоде просьб о помощи (один человек — один "
        "номер телефона; без телефона — одна цепочка повторяющихся просьб) плюс "
        "получатели по подтверждённым координатором записям программ помимо просьб: все "
        "получатели первого месяца "
        "периода с записью и впервые получившие помощь в следующих месяцах, так что "
        "постоянный получатель считается один раз. Отдельно добавлены благополучатели "
        "грантовых проектов по итоговым отчётам, принятым в периоде, — числа без имён, как "
        "их указали получатели грантов: их не с кем сопоставить с людьми платформы."
    )

    def build(done: dict, programme_people: int, grant: dict) -> Figure:
        return Figure(
            Indicator.HELPED_RESIDENTS,
            str(Indicator.HELPED_RESIDENTS.label),
            Decimal(done["people"] + programme_people + grant["grant_recipients"]),
            _("человек"),
            definition,
            method,
            {
                "requests_done": done["done"],
                "request_recipients": done["people"],
                "programme_recipients": programme_people,
                "grant_recipients": grant["grant_recipients"],
            },
        )

    return _each(build, requests, recorded, reported)


# Each indicator for periods given in order and not overlapping, in a fixed number of
# queries however many periods (`dobry.reports.counting`).
PASSPORT: tuple[Callable[[Sequence[Period]], list[Figure]], ...] = (
    infrastructure_events_per_period,
    informed_share_per_period,
    involved_share_per_period,
    supported_organisations_per_period,
    programmes_per_period,
    helped_residents_per_period,
)


def passport_per_period(periods: Sequence[Period]) -> list[list[Figure]]:
    """Each indicator's figures, one per period."""
    return [compute(periods) if periods else [] for compute in PASSPORT]


def passport(period: Period) -> list[Figure]:
    return [figures[0] for figures in passport_per_period([period])]


def infrastructure_events(period: Period) -> Figure:
    return infrastructure_events_per_period([period])[0]


def informed_share(period: Period) -> Figure:
    return informed_share_per_period([period])[0]


def involved_share(period: Period) -> Figure:
    return involved_share_per_period([period])[0]


def supported_organisations(period: Period) -> Figure:
    return supported_organisations_per_period([period])[0]


def programmes(period: Period) -> Figure:
    return programmes_per_period([period])[0]


def helped_residents(period: Period) -> Figure:
    return helped_residents_per_period([period])[0]


def part_labels() -> dict[str, str]:
    """Names of the parts figures are made of, as the pages show them."""
    labels = {
        "events": _("мероприятия инфраструктуры"),
        "group_meetings": _("встречи проектных групп"),
        "platform_people": _("люди на платформе"),
        "mailing_reach": _("получатели рассылок вне платформы"),
        "reach": _("охват СМИ и соцсетей"),
        "population": _("население"),
        "people": _("уникальные люди"),
        "group_extra": _("участники групповых записей сверх записавшегося"),
        "grant_participants": _("участники грантовых проектов по отчётам (без имён)"),
        "grant_recipients": _("благополучатели грантовых проектов по отчётам (без имён)"),
        "requests_done": _("выполненные просьбы"),
        "request_recipients": _("получатели помощи по просьбам"),
        "programme_recipients": _("получатели помощи по записям программ"),
        "value_rub": _("экономическая ценность, ₽"),
        "volunteers": _("волонтёры с подтверждёнными часами"),
        "active_volunteers": _("активные волонтёры"),
        "applications": _("поданные заявки"),
        "winners": _("победители"),
        "nko_expert_share": _("доля экспертов от НКО, %"),
        "donors": _("жертвователи"),
        "campaigns": _("сборы с пожертвованиями"),
        "in_kind_rub": _("помощь вещами и делом, ₽"),
        "in_kind_givers": _("передавшие помощь вещами"),
    }
    labels |= {kind.value: str(kind.label) for kind in SupportKind}
    return labels
