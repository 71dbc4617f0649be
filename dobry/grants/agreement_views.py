"""The pages of a grant after the award: the production calendar's desk page."""

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
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import year_param
from dobry.grants import permissions
from dobry.grants.agreement_forms import CalendarDayForm
from dobry.grants.agreements import calendar
from dobry.grants.models import WorkCalendarDay
from dobry.grants.services import calendar as calendar_services


def _calendar_keeper(request: HttpRequest) -> None:
    allowed = permissions.can_keep_work_calendar(request.user)
    if not allowed:
        raise PermissionDenied(allowed.reason)


@login_required
def work_calendar(request: HttpRequest) -> HttpResponse:
    """A year's days off and working weekends, where each comes from, and the form for a
    transfer of the government's decree."""
    _calendar_keeper(request)
    year = year_param(request.GET, "year") or local_today().year
    form = CalendarDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            row = calendar_services.calendar_day_save(
                actor=request_user(request), **form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Перенос записан."))
            return redirect(f"{reverse('grants:work_calendar')}?year={row.day.year}")
    rows = {row.day: row for row in WorkCalendarDay.objects.filter(day__year=year)}
    days = [
        {"day": day, "source": source, "working": working, "row": rows.get(day)}
        for day, source, working in calendar.year_days_off(year)
    ]
    return render(
        request,
        "grants/work_calendar.html",
        {"year": year, "days": days, "form": form, "years": (year - 1, year + 1)},
    )


@login_required
@require_POST
def work_calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _calendar_keeper(request)
    row = get_object_or_404(WorkCalendarDay, pk=pk)
    year = row.day.year
    with domain_error_message(request, success=_("Перенос удалён: день снова по закону.")):
        calendar_services.calendar_day_delete(actor=request_user(request), row=row)
    return redirect(f"{reverse('grants:work_calendar')}?year={year}")
