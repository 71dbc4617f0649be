"""The pages of the grantee's reports: a report (filled, files attached, submitted; staff
return or accept it with a comment per section), its opening from the agreement, and the
organisers' queue of reports due, late and submitted."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.core.clock import local_today
from dobry.core.confirm import confirm_page
from dobry.core.dates import day_text
from dobry.core.documents import csv_response, xlsx_response
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.request_values import (
    form_values,
    paginate,
    parse_iso_date,
    query_without,
)
from dobry.grants import permissions, selectors
from dobry.grants.models import GrantReport, ReportDue, ReportFile
from dobry.grants.report_forms import (
    QUEUE_STATE_CHOICES,
    ProjectLinksForm,
    ReportCountsForm,
    ReportDecisionForm,
    ReportFileForm,
    ReportQueueFilterForm,
    SaveForm,
    posted_data,
    publications_text,
)
from dobry.grants.reporting import content as sections
from dobry.grants.reporting import figures
from dobry.grants.reporting.deadlines import is_late
from dobry.grants.services import reports as services


def _context(request: HttpRequest, report: GrantReport, **extra: Any) -> dict[str, Any]:
    user = request.user
    version = services.current_version(report)
    content = extra.pop("content", version.content)
    due = ReportDue.objects.filter(agreement=report.agreement, kind=report.kind).first()
    versions = list(report.versions.select_related("submitted_by", "decided_by"))
    return {
        "report": report,
        "agreement": report.agreement,
        "version": version,
        "content": content,
        "due": due,
        "late": bool(due and is_late(report, due, local_today())),
        "editing": bool(permissions.can_edit_report(user, report)),
        "moves": permissions.report_moves(user, report),
        "deciding": bool(permissions.can_manage_agreement(user, report.agreement)),
        "earlier": [v for v in versions if v.version != report.version],
        "files": report.files.select_related("line").order_by("version", "kind", "pk"),
        "lines": report.agreement.lines.all(),
        "sections": sections.SECTIONS,
        "figure_rows": figures.rows(version.figures),
        "figures_period": _period_text(version.figures),
        "counts_form": ReportCountsForm(
            initial={
                "participants": content.get("participants"),
                "recipients": content.get("recipients"),
                "publications": publications_text(content),
            }
        ),
        "file_form": ReportFileForm(),
        "decision_form": ReportDecisionForm(),
        "errors": extra.pop("errors", {}),
        **extra,
    }


def _period_text(counted: dict[str, Any]) -> tuple[str, str]:
    try:
        first, last = parse_iso_date(counted["from"]), parse_iso_date(counted["to"])
    except (KeyError, ValueError):
        return ("", "")
    return (day_text(first), day_text(last))


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    return render(request, "grants/report.html", _context(request, report))


@login_required
@require_POST
def report_open(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    if kind not in ReportDue.Kind.values:
        return redirect(agreement)
    with domain_error_message(request) as outcome:
        report = services.report_open(actor=request_user(request), agreement=agreement, kind=kind)
    return redirect(report if outcome.ok else agreement)


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    then = form_values(SaveForm(request.POST)).get("then")
    version = services.current_version(report)
    data = posted_data(request.POST, version.content)
    with domain_error_message(request, success=_("Отчёт сохранён.")) as outcome:
        services.report_save(actor=request_user(request), report=report, data=data)
    if outcome.error is not None:
        content, _errors = sections.clean(version.content, data)
        context = _context(request, report, content=content, errors=outcome.error.field_errors)
        return render(request, "grants/report.html", context, status=400)
    if then == "submit":
        return _move(request, report, "submit")
    return redirect(report)


@login_required
@require_POST
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    form = ReportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Файл не приложен: выберите файл и что это."))
        return redirect(report)
    with domain_error_message(request, success=_("Файл приложен к отчёту."), details=True):
        services.report_attach(
            actor=request_user(request),
            report=report,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            line_id=form.cleaned_data["line"],
        )
    return redirect(report)


@login_required
@require_POST
def report_detach(request: HttpRequest, pk: int) -> HttpResponse:
    attached = get_object_or_404(ReportFile, pk=pk)
    attached.report = permissions.get_report_for_user(request.user, attached.report_id)
    with domain_error_message(request, success=_("Файл удалён из отчёта.")):
        services.report_detach(actor=request_user(request), attached=attached)
    return redirect(attached.report)


def _move(request: HttpRequest, report: GrantReport, move: str) -> HttpResponse:
    user = request_user(request)
    with domain_error_message(request, details=True) as outcome:
        if move == "submit":
            services.report_submit(actor=user, report=report)
    if outcome.ok:
        messages.success(request, _("Отчёт сдан на проверку."))
    return redirect(report)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    return _move(request, report, "submit")


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    form = ReportDecisionForm(request.POST)
    values = form_values(form)
    user = request_user(request)
    comments = form.comments()
    with domain_error_message(request, details=True) as outcome:
        if values["move"] == "accept":
            services.report_accept(
                actor=user, report=report, comments=comments, rating=values["rating"]
            )
        else:
            services.report_return(actor=user, report=report, comments=comments)
    if outcome.ok:
        messages.success(
            request,
            _("Отчёт принят.")
            if values["move"] == "accept"
            else _("Отчёт возвращён на доработку."),
        )
    return redirect(report)


def _queue(request: HttpRequest) -> tuple[ReportQueueFilterForm, list[selectors.QueueRow]]:
    """The queue's filter form and its rows, for the page and the downloads alike: only
    for those who keep reports (403 otherwise); a filter value the form does not offer is
    a 400 naming it (`form_values`)."""
    user = request_user(request)
    allowed = permissions.can_keep_reports(user)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    form = ReportQueueFilterForm(
        request.GET or None, competitions=selectors.queue_competitions(user)
    )
    form_values(form)
    rows = selectors.report_queue(user, local_today(), **form.queue_filters())
    return form, rows


@login_required
def report_queue(request: HttpRequest) -> HttpResponse:
    """The reports due of the agreements the person keeps: due, late, submitted; by
    competition, state, kind and lateness."""
    form, rows = _queue(request)
    page = paginate(request.GET, rows, selectors.REPORT_QUEUE_PAGE)
    query = query_without(request.GET, "page")
    return render(
        request,
        "grants/report_queue.html",
        {
            "page": page,
            "form": form,
            "state": form.queue_filters()["state"],
            "states": dict(QUEUE_STATE_CHOICES),
            "query": query,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_queue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The queue with the page's filters as XLSX or CSV (every cell through the export
    helpers: a typed formula stays text). It is staff's list of grantees, so it downloads
    on POST only (a GET asks first: `core.confirm`) and each download is audited."""
    _form, rows = _queue(request)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Отчёты по грантам"),
            explanation=_(
                "В файле соглашения, получатели грантов и их отчёты (жители, получившие грант, "
                "не названы: их имена — на странице соглашения). Скачивание записывается в "
                "журнал; храните файл только пока он нужен."
            ),
            button=_("Скачать список отчётов"),
            back_url=reverse("grants:report_queue"),
        )
    header, cells = selectors.queue_header(), selectors.queue_cells(rows)
    services.report_queue_exported(actor=request_user(request), file_format=fmt, rows=len(cells))
    filename = f"grant-reports-{local_today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, cells, delimiter=";")
    return xlsx_response(filename, _("Отчёты по грантам"), header, cells)


@login_required
@require_POST
def project_links(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    form = ProjectLinksForm(request.POST, agreement=agreement)
    if not form.is_valid():
        form_error_message(request, form, _("Связи проекта не сохранены: проверьте выбор."))
        return redirect(agreement)
    with domain_error_message(request, success=_("Мероприятия и программы проекта сохранены.")):
        services.project_links_set(
            actor=request_user(request),
            agreement=agreement,
            events=list(form.cleaned_data["events"]),
            programmes=list(form.cleaned_data["programmes"]),
        )
    return redirect(agreement)
