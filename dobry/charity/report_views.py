"""Public reports of an organisation's charity: what it received and spent per campaign
(all time), and the yearly report (a page, ?format=docx or xlsx). Anyone, for a verified
organisation (`permissions.can_view_money_report`)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dobry.charity import permissions, public_report
from dobry.charity.report_documents import report_title, yearly_report_docx, yearly_report_sheets
from dobry.core.clock import local_today
from dobry.core.documents import docx_response, xlsx_workbook_response
from dobry.core.request_values import FIRST_DATE, choice_param


def organization_report(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = permissions.get_report_organization_for_user(request.user, organization_pk)
    rows = public_report.organization_money(organization, _("Уставная деятельность"))
    context = {
        "organization": organization,
        "rows": rows,
        "total": public_report.totals(rows),
        "years": public_report.report_years(organization),
    }
    return render(request, "charity/organization_report.html", context)


def yearly_report(request: HttpRequest, organization_pk: int, year: int) -> HttpResponse:
    """The report of the local calendar year `year` (up to the current one)."""
    organization = permissions.get_report_organization_for_user(request.user, organization_pk)
    if not FIRST_DATE.year <= year <= local_today().year:
        raise Http404
    kind = choice_param(request.GET, "format", ("html", "docx", "xlsx"), "html")
    report = public_report.yearly_report(organization, year)
    filename = f"charity-report-{organization.pk}-{year}"
    if kind == "docx":
        return docx_response(f"{filename}.docx", yearly_report_docx(report))
    if kind == "xlsx":
        return xlsx_workbook_response(f"{filename}.xlsx", yearly_report_sheets(report))
    context = {"report": report, "organization": organization, "title": report_title(report)}
    return render(request, "charity/yearly_report.html", context)
