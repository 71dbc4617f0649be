"""The agreement as a DOCX that the administration prints, signs and scans back.

It is made from a template: the administration's own (a DOCX named by the setting
`DOBRY_GRANT_AGREEMENT_TEMPLATE`), else the platform's (`default_template`). In the
template's paragraphs and table cells, `{{ name }}` is replaced by the agreement's value
(`PLACEHOLDERS`), and a paragraph that holds only `{{ budget }}`, `{{ tranches }}`,
`{{ reports }}`, `{{ calendar }}` or `{{ indicators }}` is replaced by that table. A
placeholder the template does not use is left out; an unknown one is left as typed, so an
official sees it in Word. Every value goes through `core.documents.export_cell`."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from dobry.core.documents import (
    DocxDocument,
    docx_bytes,
    docx_document,
    docx_fill,
    docx_heading,
    docx_open,
    docx_paragraph,
)
from dobry.core.request_values import parse_iso_date
from dobry.core.typography import quoted
from dobry.grants.models import Agreement


def _money(value: Decimal | str | None) -> str:
    return formats.number_format(Decimal(value or 0), 2, use_l10n=True, force_grouping=True)


def _day(value: Any) -> str:
    return formats.date_format(value, "d.m.Y") if value else "—"


def _typed_day(text: Any) -> str:
    """A date the applicant typed (ISO in the calendar plan) as people read it."""
    try:
        return _day(parse_iso_date(str(text)))
    except ValueError:
        return str(text or "")


def placeholders(agreement: Agreement) -> dict[str, str]:
    """The text values a template may name (`{{ number }}` …)."""
    application = agreement.application
    competition = application.competition
    return {
        "number": agreement.number,
        "date": _day(agreement.concluded_on),
        "city": settings.DOBRY_CITY_NAME,
        "grantor": _("Администрация %(city)s") % {"city": settings.DOBRY_CITY_NAME},
        "competition": quoted(competition.title),
        "grantee": application.applicant_name,
        "project": quoted(application.title),
        "application_number": application.number,
        "amount": _money(agreement.amount),
        "starts_on": _day(agreement.starts_on),
        "ends_on": _day(agreement.ends_on),
        "version": str(agreement.version),
    }


def _tables(agreement: Agreement) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The tables a template may place, each as (header, rows)."""
    return {
        "budget": (
            ["№", _("Статья расходов"), _("Сумма, ₽")],
            [[str(line.position), line.item, _money(line.amount)] for line in agreement.lines.all()]
            + [["", _("Итого"), _money(agreement.amount)]],
        ),
        "tranches": (
            ["№", _("Плановая дата"), _("Сумма, ₽")],
            [
                [str(tranche.position), _day(tranche.planned_on), _money(tranche.amount)]
                for tranche in agreement.tranches.all()
            ],
        ),
        "reports": (
            [_("Отчёт"), _("Период по"), _("Срок сдачи")],
            [
                [str(report.get_kind_display()), _day(report.period_ends_on), _day(report.due_on)]
                for report in agreement.reports_due.all()
            ],
        ),
        "calendar": (
            [_("Мероприятие"), _("Начало"), _("Окончание")],
            [
                [
                    row.get("title", ""),
                    _typed_day(row.get("starts_on")),
                    _typed_day(row.get("ends_on")),
                ]
                for row in agreement.calendar
            ],
        ),
        "indicators": (
            [_("Показатель"), _("Единица"), _("Плановое значение")],
            [
                [row.get("name", ""), row.get("unit", ""), row.get("target", "")]
                for row in agreement.indicators
            ],
        ),
    }


def default_template() -> DocxDocument:
    """The platform's template: a plain agreement with every placeholder and table."""
    document = docx_document(size=12)
    docx_heading(document, _("Соглашение о предоставлении гранта № {{ number }}"), level=0)
    docx_paragraph(document, "{{ city }}, {{ date }}")
    docx_paragraph(
        document,
        _(
            "{{ grantor }} (грантодатель) и {{ grantee }} (получатель гранта) по итогам "
            "конкурса {{ competition }} (заявка № {{ application_number }}) заключили "
            "соглашение о предоставлении гранта на реализацию проекта {{ project }} в "
            "размере {{ amount }} ₽. Срок реализации проекта: с {{ starts_on }} по {{ ends_on }}."
        ),
    )
    sections = [
        (_("1. Бюджет проекта"), "budget"),
        (_("2. Порядок перечисления гранта"), "tranches"),
        (_("3. Отчётность"), "reports"),
        (_("4. Календарный план"), "calendar"),
        (_("5. Показатели результативности"), "indicators"),
    ]
    for title, table in sections:
        docx_heading(document, title, level=1)
        docx_paragraph(document, "{{ " + table + " }}")
    docx_paragraph(
        document,
        _(
            "Сроки отчётов исчисляются в рабочих днях производственного календаря. "
            "Перераспределение средств между статьями бюджета и изменение сроков оформляются "
            "дополнительным соглашением. Редакция соглашения: {{ version }}."
        ),
    )
    docx_paragraph(document, "")
    docx_paragraph(document, _("Грантодатель ____________    Получатель гранта ____________"))
    return document


def load_template(path: str = "") -> DocxDocument:
    """The administration's template at `path` (the setting), else the platform's."""
    path = path or settings.DOBRY_GRANT_AGREEMENT_TEMPLATE
    return docx_open(path) if path else default_template()


def agreement_docx(
    agreement: Agreement, *, template: Callable[[], DocxDocument] | None = None
) -> bytes:
    """The agreement as DOCX bytes (see the module)."""
    document = (template or load_template)()
    docx_fill(document, placeholders(agreement), _tables(agreement))
    return docx_bytes(document)
