"""The reports dashboard (staff), its public version, and the data staff enter for it."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.clock import local_today
from dobry.core.documents import csv_response, docx_response, xlsx_workbook_response
from dobry.core.errors import DomainError
from dobry.core.forms import add_service_error
from dobry.core.page_cache import public_page
from dobry.core.permissions import Actor, Decision
from dobry.core.redirects import redirect_to_next
from dobry.core.request_values import form_values, paginate, year_param
from dobry.events.models import Event
from dobry.reports import (
    breakdowns,
    dashboard,
    economics,
    exports,
    indicators,
    periods,
    permissions,
    services,
)
from dobry.reports.forms import InfrastructureMarkForm, PeriodForm, ReachForm, TargetsForm
from dobry.reports.models import Indicator, ReachFigure, Target

INFRASTRUCTURE_KINDS = (
    Event.Kind.SEMINAR,
    Event.Kind.WEBINAR,
    Event.Kind.FORUM,
    Event.Kind.FESTIVAL,
    Event.Kind.OTHER,
)


def _staff(
    request: HttpRequest, check: Callable[[Actor], Decision] = permissions.can_view_reports
) -> None:
    """Refuse (403, saying why) whom `check` does not allow: the full reports by default,
    `permissions.can_edit_report_data` where staff enter data."""
    if not (decision := check(request.user)):
        raise PermissionDenied(str(decision.reason))


def _period(request: HttpRequest) -> tuple[periods.Period, PeriodForm, str]:
    """The period from the query string (by default the last full year); a bad one falls
    back to that year with a message."""
    form = PeriodForm(request.GET or None)
    try:
        return periods.from_query(request.GET.dict()), form, ""
    except DomainError as error:
        return periods.year(periods.last_full_year()), form, error.message


def _render(request: HttpRequest, template: str, *, public: bool) -> HttpResponse:
    period, form, problem = _period(request)
    if problem:
        messages.error(request, problem)
    context: dict[str, Any] = {
        "period": period,
        "previous": period.comparison(),
        "form": form,
        "rows": (rows := dashboard.build(period)),
        "public": public,
        "query": request.GET.urlencode(),
        "part_labels": indicators.part_labels(),
        "economics": economics.figures(period, helped=dashboard.helped_value(rows)),
    }
    if not public:
        context["beyond"] = dashboard.beyond(period)
        context["breakdowns"] = breakdowns.tables(period)
    return render(request, template, context)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return _render(request, "reports/dashboard.html", public=False)


@public_page
def public_report(request: HttpRequest) -> HttpResponse:
    return _render(request, "reports/dashboard.html", public=True)


def kpi_csv(request: HttpRequest) -> HttpResponse:
    """Open data: the six aggregate figures of the period, with the comparison period;
    `counted_to` is the last day counted (today, while the period runs)."""
    period, _form, problem = _period(request)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    comparison = period.comparison()
    return csv_response(
        f"kpi-{period.start}-{period.end}.csv",
        [
            "indicator",
            "label",
            "from",
            "to",
            "value",
            "unit",
            "previous",
            "target",
            "counted_to",
            "previous_from",
            "previous_to",
        ],
        (
            [
                row.figure.key,
                row.figure.label,
                period.start,
                period.end,
                row.figure.value,
                row.figure.unit,
                row.previous.value,
                "" if row.target is None else row.target,
                period.counted_until,
                comparison.start,
                comparison.end,
            ]
            for row in dashboard.build(period, trend=False)
        ),
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    _staff(request, permissions.can_edit_report_data)
    user = request_user(request)
    params = request.POST if request.method == "POST" else request.GET
    year = year_param(params, "year") or local_today().year
    current = dict(Target.objects.filter(year=year).values_list("indicator", "value"))
    form = TargetsForm(request.POST or None, targets=current)
    if request.method == "POST" and form.is_valid():
        try:
            for indicator in Indicator:
                value: Decimal | None = form.cleaned_data[indicator.value]
                if value != current.get(indicator.value):
                    services.target_set(actor=user, indicator=indicator, year=year, value=value)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Цели на %(year)s год сохранены.") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    return render(request, "reports/targets.html", {"form": form, "year": year})


@login_required
def reach(request: HttpRequest) -> HttpResponse:
    _staff(request, permissions.can_edit_report_data)
    form = ReachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reach_add(
                actor=request_user(request),
                day=data["date"],
                channel=data["channel"],
                title=data["title"],
                source=data["source"],
                people=data["people"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Охват записан."))
            return redirect("reports:reach")
    page = paginate(request.GET, ReachFigure.objects.all(), 30)
    return render(request, "reports/reach.html", {"form": form, "page": page})


@login_required
@require_POST
def reach_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, permissions.can_edit_report_data)
    services.reach_delete(actor=request_user(request), figure=get_object_or_404(ReachFigure, pk=pk))
    messages.success(request, _("Запись об охвате удалена."))
    return redirect("reports:reach")


@login_required
def infrastructure(request: HttpRequest) -> HttpResponse:
    """Coordinators mark which events of the period are the project's infrastructure."""
    _staff(request, permissions.can_edit_report_data)
    period, form, problem = _period(request)
    if problem:
        messages.error(request, problem)
    events = (
        Event.objects.filter(
            kind__in=INFRASTRUCTURE_KINDS,
            status=Event.Status.PUBLISHED,
            starts_at__gte=period.starts_at,
            starts_at__lt=period.ends_before,
        )
        .select_related("organization")
        .order_by("starts_at")
    )
    page = paginate(request.GET, events, 50)
    context = {"page": page, "period": period, "form": form, "query": request.GET.urlencode()}
    return render(request, "reports/infrastructure.html", context)


@login_required
@require_POST
def infrastructure_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, permissions.can_edit_report_data)
    event = get_object_or_404(Event, pk=pk)
    # the value is required: a POST without it is a 400 naming `value`, never «not counted»
    infrastructure = form_values(InfrastructureMarkForm(request.POST))["value"]
    services.event_set_infrastructure(
        actor=request_user(request), event=event, infrastructure=infrastructure
    )
    return redirect_to_next(request, "reports:infrastructure")


@login_required
@require_POST
def snapshots_recompute(request: HttpRequest) -> HttpResponse:
    _staff(request, permissions.can_edit_report_data)
    year_number = year_param(request.POST, "year")
    if year_number is None:
        messages.error(request, _("Укажите год."))
        return redirect("reports:dashboard")
    written = services.snapshots_recompute(actor=request_user(request), year_number=year_number)
    messages.success(
        request,
        _("Значения за закрытые месяцы %(year)s года пересчитаны: %(count)s.")
        % {"year": year_number, "count": written},
    )
    return redirect(f"{reverse('reports:dashboard')}?year={year_number}")


def _back_with(request: HttpRequest, problem: str) -> HttpResponse:
    messages.error(request, problem)
    return redirect("reports:dashboard")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    _staff(request)
    period, _form, problem = _period(request)
    if problem:
        return _back_with(request, problem)
    return xlsx_workbook_response(
        f"indicators-{period.start}-{period.end}.xlsx", exports.workbook_sheets(period)
    )


@login_required
def passport_docx(request: HttpRequest) -> HttpResponse:
    _staff(request)
    period, _form, problem = _period(request)
    if problem:
        return _back_with(request, problem)
    return docx_response(
        f"passport-{period.start}-{period.end}.docx", exports.passport_docx(period)
    )
