"""Downloads of the reports: the dashboard as XLSX (a summary sheet, one sheet per
indicator with the records behind it where they hold no personal data, the breakdowns and
the practice's economics), and the passport's results table as DOCX in the passport's
layout."""

from typing import Any

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.charity.models import Donation, Pledge
from dobry.core.clock import local_date
from dobry.core.documents import (
    Sheet,
    docx_bytes,
    docx_document,
    docx_heading,
    docx_paragraph,
    docx_table,
)
from dobry.core.numbers import plain_number
from dobry.core.typography import quoted
from dobry.helprequests.models import Category, HelpRequest, Programme
from dobry.organizations.areas import Area
from dobry.reports import breakdowns, dashboard, economics, grant_money, indicators
from dobry.reports.counting import within
from dobry.reports.dashboard import Row
from dobry.reports.models import Indicator
from dobry.reports.periods import Period
from dobry.resources.models import SupportRecord

# The passport's own wording of each indicator, with its unit (section 4).
PASSPORT_WORDING = {
    Indicator.INFRASTRUCTURE_EVENTS: gettext_lazy(
        "Количество мероприятий проекта, направленных на развитие единого городского "
        "пространства административной, информационной, организационной, консультационной, "
        "имущественной и финансовой поддержки деятельности СО НКО, добровольческого движения "
        "и благотворительности, шт."
    ),
    Indicator.INFORMED_SHARE: gettext_lazy(
        "Доля населения, получившая информацию о реализуемых в городе добровольческих и "
        "благотворительных проектах, %"
    ),
    Indicator.INVOLVED_SHARE: gettext_lazy(
        "Доля жителей, вовлечённых в реализацию социальных проектов, мероприятий, в "
        "добровольческую деятельность и благотворительность, %"
    ),
    Indicator.SUPPORTED_ORGANISATIONS: gettext_lazy(
        "Количество СО НКО, общественных движений и инициативных групп, получивших "
        "административно-организационную, информационную, консультационную, имущественную "
        "и финансовую поддержку, шт."
    ),
    Indicator.PROGRAMMES: gettext_lazy(
        "Количество реализуемых программ добровольческой и благотворительной помощи и "
        "негосударственной социальной поддержки, шт."
    ),
    Indicator.HELPED_RESIDENTS: gettext_lazy(
        "Количество жителей — получателей социальных услуг СО НКО, добровольческой и "
        "благотворительной помощи, чел."
    ),
}


def _comment(row: Row) -> str:
    parts = [_("предыдущий период: %(value)s") % {"value": plain_number(row.previous.value)}]
    if row.target is not None:
        parts.append(_("цель: %(value)s") % {"value": plain_number(row.target)})
    return "; ".join(parts) + ". " + row.figure.method


def passport_docx(period: Period) -> bytes:
    rows = dashboard.build(period, trend=False)
    document = docx_document(size=11)
    docx_heading(
        document,
        _("Результаты проекта (что было достигнуто) — %(period)s") % {"period": period.label},
        level=1,
    )
    docx_paragraph(
        document,
        _("%(city)s. Значения посчитаны по записям платформы %(site)s за %(start)s — %(end)s.")
        % {
            "city": settings.DOBRY_CITY_NAME,
            "site": quoted(settings.DOBRY_SITE_NAME),
            "start": f"{period.start:%d.%m.%Y}",
            "end": f"{period.end:%d.%m.%Y}",
        },
    )
    if period.partial:
        docx_paragraph(document, period.partial_note)
    docx_table(
        document,
        ["№", _("Показатель, единица измерения"), _("Значение показателя"), _("Комментарии")],
        [
            [
                f"{number}.",
                PASSPORT_WORDING[Indicator(row.figure.key)],
                plain_number(row.figure.value),
                _comment(row),
            ]
            for number, row in enumerate(rows, start=1)
        ],
    )
    money = grant_money.grant_money(period)
    docx_heading(document, _("Грантовые средства по направлениям"), level=2)
    docx_table(
        document,
        list(money.header),
        [
            [row.label, plain_number(row.granted), plain_number(row.paid), plain_number(row.spent)]
            for row in [*money.rows, money.total]
        ],
    )
    docx_paragraph(document, money.method)
    return docx_bytes(document)


def _summary(period: Period, rows: list[Row]) -> Sheet:
    note: list[list[Any]] = [[period.partial_note]] if period.partial else []
    return (
        _("Показатели"),
        [
            _("Показатель"),
            _("Значение"),
            _("Единица"),
            _("Предыдущий период"),
            _("Цель"),
            _("Как считается"),
        ],
        [
            [
                row.figure.label,
                row.figure.value,
                row.figure.unit,
                row.previous.value,
                row.target if row.target is not None else "",
                row.figure.method,
            ]
            for row in rows
        ]
        + note,
    )


def _economics(period: Period) -> Sheet:
    """The practice's economics as the reports show them: the value in whole roubles (a
    number), the formula with the period's numbers, and the method."""
    return (
        _("Экономика практики"),
        [_("Показатель"), _("Значение, ₽"), _("Расчёт"), _("Как считается")],
        [[item.label, item.value, item.formula, item.method] for item in economics.figures(period)],
    )


# The sheets behind each indicator are named by it, numbered as in the passport; the
# names fit Excel's 31 characters (`core.documents.sheet_title` guards the rest).
SHEET_TITLES = {
    Indicator.INFRASTRUCTURE_EVENTS: gettext_lazy("1. Мероприятия инфраструктуры"),
    Indicator.INFORMED_SHARE: gettext_lazy("2. Информированность"),
    Indicator.INVOLVED_SHARE: gettext_lazy("3. Вовлечённость жителей"),
    Indicator.SUPPORTED_ORGANISATIONS: gettext_lazy("4. Поддержка организаций"),
    Indicator.PROGRAMMES: gettext_lazy("5. Программы помощи"),
    Indicator.HELPED_RESIDENTS: gettext_lazy("6. Получившие помощь"),
}


def workbook_sheets(period: Period) -> list[Sheet]:
    """The summary and, per indicator, the records behind it. People are never listed:
    the sheets of people-based indicators give counts only. Each sheet is (title, header,
    rows); then the breakdowns and the practice's economics."""
    rows = dashboard.build(period, trend=False)
    by_row = {row.figure.key: row for row in rows}
    labels = indicators.part_labels()
    return [
        _summary(period, rows),
        _events_sheet(period),
        _reach_sheet(period, by_row[Indicator.INFORMED_SHARE]),
        _involvement_sheet(by_row[Indicator.INVOLVED_SHARE], labels),
        _support_sheet(period),
        _programmes_sheet(period),
        _helped_sheet(period, by_row[Indicator.HELPED_RESIDENTS], labels),
        _charity_sheet(period),
        *[_breakdown_sheet(table) for table in breakdowns.tables(period)],
        _economics(period),
    ]


def _breakdown_sheet(table: breakdowns.Table) -> Sheet:
    """A breakdown as a sheet; its method, when it has one, as the last row."""
    method: list[list[Any]] = [[_("Как считается"), table.method]] if table.method else []
    return (table.title, table.header, [*map(list, table.rows), *method])


def _charity_sheet(period: Period) -> Sheet:
    """Donations received in the period by organisation, campaign and area (sums and
    donors, never names), then help in kind received by organisation."""
    money = (
        Donation.objects.filter(within("received_on", period, dates=True))
        .values("organization__name", "campaign__title", "campaign__area")
        .annotate(total=Sum("amount"), donors=Count("donor_key", distinct=True))
        .order_by("organization__name", "campaign__title")
    )
    areas = dict(Area.choices)
    kind = (
        Pledge.objects.filter(
            within("received_on", period, dates=True), status=Pledge.Status.RECEIVED
        )
        .values("need__organization__name")
        .annotate(value=Sum("value"), givers=Count("pledger", distinct=True))
        .order_by("need__organization__name")
    )
    general = _("на уставную деятельность")
    in_kind = _("помощь вещами и делом")
    return (
        _("Пожертвования"),
        [_("Организация"), _("Сбор"), _("Направление"), _("Сумма, ₽"), _("Жертвователи")],
        [
            [
                row["organization__name"],
                row["campaign__title"] or general,
                str(areas.get(row["campaign__area"], "")),
                row["total"],
                row["donors"],
            ]
            for row in money
        ]
        + [
            [row["need__organization__name"], in_kind, "", row["value"] or 0, row["givers"]]
            for row in kind
        ],
    )


def _events_sheet(period: Period) -> Sheet:
    """Infrastructure events and project group meetings held in the period."""
    events = indicators.infrastructure_events_held(period).select_related("organization")
    meetings = indicators.group_meetings_held(period).select_related("group")
    return (
        str(SHEET_TITLES[Indicator.INFRASTRUCTURE_EVENTS]),
        [_("Дата"), _("Мероприятие"), _("Организатор")],
        [
            [local_date(e.starts_at) if e.starts_at else None, e.title, str(e.organization)]
            for e in events
        ]
        + [
            [local_date(m.starts_at), str(m.group), _("встреча проектной группы")] for m in meetings
        ],
    )


def _reach_sheet(period: Period, informed: Row) -> Sheet:
    """The reach figures entered for the period, then the people on the platform and those
    the mailings reached beyond them."""
    platform_people = informed.figure.parts.get("platform_people", 0)
    mailing_reach = informed.figure.parts.get("mailing_reach", 0)
    return (
        str(SHEET_TITLES[Indicator.INFORMED_SHARE]),
        [_("Дата"), _("Канал"), _("Публикация"), _("Источник"), _("Охват")],
        [
            [f.date, f.get_channel_display(), f.title, f.source, f.people]
            for f in indicators.reach_figures(period)
        ]
        + [["", "", _("люди на платформе"), "", platform_people]]
        + [["", "", _("получатели рассылок вне платформы"), "", mailing_reach]],
    )


def _involvement_sheet(involved: Row, labels: dict[str, str]) -> Sheet:
    return (
        str(SHEET_TITLES[Indicator.INVOLVED_SHARE]),
        [_("Составляющая"), _("Значение")],
        [[labels.get(key, key), value] for key, value in involved.figure.parts.items()],
    )


def _support_sheet(period: Period) -> Sheet:
    """Support given to organisations in the period, with its value in roubles."""
    support = (
        SupportRecord.objects.happened()
        .in_period(period.start, period.end)
        .filter(organization__isnull=False)
        .select_related("organization")
    )
    return (
        str(SHEET_TITLES[Indicator.SUPPORTED_ORGANISATIONS]),
        [_("Дата"), _("Организация"), _("Вид поддержки"), _("Что"), _("Сумма, ₽")],
        [
            [r.date, str(r.organization), r.get_kind_display(), r.description_text, r.value_rub]
            for r in support
        ],
    )


def _programmes_sheet(period: Period) -> Sheet:
    programmes = indicators.programmes_running(period).select_related("organization")
    return (
        str(SHEET_TITLES[Indicator.PROGRAMMES]),
        [_("Программа"), _("Организация"), _("Вид помощи"), _("С"), _("По")],
        [
            [p.name, str(p.organization), p.get_category_display(), p.starts_on, p.ends_on]
            for p in programmes
        ],
    )


def _helped_sheet(period: Period, helped: Row, labels: dict[str, str]) -> Sheet:
    """Counts only: requests done by category, programme recipients, the unique total."""
    done = (
        HelpRequest.objects.filter(within("closed_at", period), status=HelpRequest.Status.DONE)
        .values("category")
        .annotate(count=Count("id"))
        .order_by("category")
    )
    recorded = indicators.programme_recipients(period)
    programmes = (
        Programme.objects.filter(pk__in=recorded).order_by("name").values_list("pk", "name")
    )
    return (
        str(SHEET_TITLES[Indicator.HELPED_RESIDENTS]),
        [_("Источник"), _("Число")],
        [
            [
                _("выполнено просьб: %(category)s") % {"category": Category(h["category"]).label},
                h["count"],
            ]
            for h in done
        ]
        + [[labels["request_recipients"], helped.figure.parts["request_recipients"]]]
        + [
            [_("получатели программы %(name)s") % {"name": quoted(name)}, recorded[pk]]
            for pk, name in programmes
        ]
        + [[_("уникальных получателей"), helped.figure.value]],
    )
