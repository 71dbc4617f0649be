"""The yearly public report as files: DOCX for the organisation to sign and publish, XLSX
for its accountant. Every cell and paragraph through `core.documents` (no formula from
anything typed, no character XML forbids, numbers as numbers)."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.charity.public_report import ADMIN_LIMIT_PERCENT, YearReport
from dobry.core.clock import local_today
from dobry.core.documents import (
    Sheet,
    docx_bytes,
    docx_document,
    docx_heading,
    docx_paragraph,
    docx_table,
)
from dobry.core.numbers import amount, plain_number
from dobry.core.typography import quoted


def report_title(report: YearReport) -> str:
    return _("Отчёт о благотворительной деятельности за %(year)s год") % {"year": report.year}


def _general() -> str:
    return str(_("на уставную деятельность"))


def _received_rows(report: YearReport) -> list[Sequence[Any]]:
    return [
        (line.campaign.title if line.campaign else _general(), line.donations, line.amount)
        for line in report.received
    ]


def _in_kind_rows(report: YearReport) -> list[Sequence[Any]]:
    return [(line.need.title, line.quantity, line.need.unit, line.value) for line in report.in_kind]


def _purpose_rows(report: YearReport) -> list[Sequence[Any]]:
    return [(line.label, line.amount) for line in report.spending]


def _item_rows(report: YearReport) -> list[Sequence[Any]]:
    return [
        (
            item.spent_on,
            item.campaign.title if item.campaign else _general(),
            item.get_purpose_display(),
            item.description,
            item.amount,
        )
        for item in report.items
    ]


def _finished_rows(report: YearReport) -> list[Sequence[Any]]:
    return [
        (f.campaign.title, f.campaign.goal, f.received, f.spent, f.campaign.finished_on)
        for f in report.finished
    ]


def _summary(report: YearReport) -> list[str]:
    organization = report.organization
    lines = [
        organization.name,
        _("ИНН %(inn)s, ОГРН %(ogrn)s")
        % {"inn": organization.inn or "—", "ogrn": organization.ogrn or "—"},
        ngettext(
            "Получено пожертвований: %(sum)s ₽ от %(donors)s жертвователя.",
            "Получено пожертвований: %(sum)s ₽ от %(donors)s жертвователей.",
            report.donors,
        )
        % {"sum": amount(report.received_total), "donors": report.donors},
        _("Получено помощи вещами и делом на сумму (оценка организации): %(sum)s ₽.")
        % {"sum": amount(report.in_kind_total)},
        _(
            "Израсходовано: %(sum)s ₽; административные расходы — %(percent)s %% (не более %(limit)s %% по ст. 16 ФЗ-135)."
        )
        % {
            "sum": amount(report.spent_total),
            "percent": plain_number(report.admin_percent),
            "limit": ADMIN_LIMIT_PERCENT,
        },
    ]
    return [str(line) for line in lines]


def yearly_report_docx(report: YearReport) -> bytes:
    document = docx_document(size=12)
    docx_heading(document, report_title(report), level=0)
    for line in _summary(report):
        docx_paragraph(document, line)
    docx_heading(document, _("Поступления денежных средств"), level=1)
    docx_table(document, _received_header(), _received_rows(report))
    docx_heading(document, _("Помощь вещами и делом"), level=1)
    docx_table(document, _in_kind_header(), _in_kind_rows(report))
    docx_heading(document, _("Расходы по статьям"), level=1)
    docx_table(document, _purpose_header(), _purpose_rows(report))
    docx_heading(document, _("Расходы"), level=1)
    docx_table(document, _item_header(), _item_rows(report))
    docx_heading(document, _("Завершённые сборы"), level=1)
    docx_table(document, _finished_header(), _finished_rows(report))
    docx_heading(document, _("Закрытые нужды"), level=1)
    for need in report.fulfilled:
        docx_paragraph(document, need.title)
    if not report.fulfilled:
        docx_paragraph(document, _("Нет."))
    docx_paragraph(document, "")
    docx_paragraph(
        document,
        _("Составлен по данным платформы %(site)s %(day)s.")
        % {
            "site": quoted(str(settings.DOBRY_SITE_NAME)),
            "day": formats.date_format(local_today(), "j E Y"),
        },
    )
    docx_paragraph(document, _("Руководитель организации ____________________"))
    return docx_bytes(document)


def _received_header() -> list[str]:
    return [_("Сбор"), _("Пожертвований"), _("Сумма, ₽")]


def _in_kind_header() -> list[str]:
    return [_("Нужда"), _("Количество"), _("Единица"), _("Оценка, ₽")]


def _purpose_header() -> list[str]:
    return [_("Статья расходов"), _("Сумма, ₽")]


def _item_header() -> list[str]:
    return [_("Дата"), _("Сбор"), _("Статья"), _("Что оплачено"), _("Сумма, ₽")]


def _finished_header() -> list[str]:
    return [_("Сбор"), _("Цель, ₽"), _("Собрано, ₽"), _("Израсходовано, ₽"), _("Завершён")]


def yearly_report_sheets(report: YearReport) -> list[Sheet]:
    return [
        (_("Поступления"), _received_header(), _received_rows(report)),
        (_("Помощь вещами"), _in_kind_header(), _in_kind_rows(report)),
        (_("Статьи расходов"), _purpose_header(), _purpose_rows(report)),
        (_("Расходы"), _item_header(), _item_rows(report)),
        (_("Завершённые сборы"), _finished_header(), _finished_rows(report)),
    ]
