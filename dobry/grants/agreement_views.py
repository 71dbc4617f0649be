"""The pages of a grant after the award: a competition's agreements, an agreement with
its tranches, reports due, amendments and versions (its DOCX), and the production
calendar's desk page."""

from django.conf import settings
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
from dobry.core.documents import docx_response
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, year_param
from dobry.grants import permissions
from dobry.grants.agreement_forms import (
    AmendmentDecisionForm,
    AmendmentForm,
    CalendarDayForm,
    ReasonForm,
    SignForm,
    TrancheMoveForm,
)
from dobry.grants.agreements import calendar
from dobry.grants.agreements.document import agreement_docx
from dobry.grants.models import Agreement, Amendment, Tranche, WorkCalendarDay
from dobry.grants.report_forms import ProjectLinksForm
from dobry.grants.selectors import report_rows
from dobry.grants.services import agreements as services
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


# --- a competition's agreements -----------------------------------------------------------------


@login_required
def competition_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    """The winners' agreements of a competition, for those who run it."""
    competition = permissions.get_competition_for_user(request.user, pk, action="manage")
    agreements = (
        Agreement.objects.filter(application__competition=competition)
        .select_related("application__organization", "application__applicant")
        .order_by("number")
    )
    return render(
        request,
        "grants/agreements.html",
        {"competition": competition, "agreements": agreements},
    )


@login_required
@require_POST
def agreements_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    competition = permissions.get_competition_for_user(request.user, pk, action="manage")
    with domain_error_message(request) as outcome:
        made = services.agreements_prepare(actor=request_user(request), competition=competition)
    if outcome.ok:
        messages.success(
            request,
            _("Подготовлено соглашений: %(count)s.") % {"count": len(made)}
            if made
            else _("Новых победителей без соглашения нет."),
        )
    return redirect("grants:agreements", competition.pk)


# --- one agreement ------------------------------------------------------------------------------


def _page(request: HttpRequest, agreement: Agreement) -> HttpResponse:
    user = request.user
    managing = bool(permissions.can_manage_agreement(user, agreement))
    tranches = list(agreement.tranches.all())
    amendments = list(agreement.amendments.select_related("proposed_by", "decided_by"))
    context = {
        "agreement": agreement,
        "application": agreement.application,
        "managing": managing,
        "lines": agreement.lines.all(),
        "tranches": [(t, permissions.tranche_moves(user, t)) for t in tranches],
        "reports": report_rows(user, agreement),
        "links_form": ProjectLinksForm(agreement=agreement)
        if permissions.can_link_project(user, agreement)
        else None,
        "linked_events": agreement.events.all(),
        "linked_programmes": agreement.programmes.all(),
        "amendments": [(a, permissions.amendment_moves(user, a)) for a in amendments],
        "versions": agreement.versions.select_related("made_by"),
        "moves": permissions.agreement_moves(user, agreement),
        "may_propose": permissions.can_propose_amendment(user, agreement),
        "shift_percent": settings.DOBRY_GRANT_BUDGET_SHIFT_PERCENT,
        "sign_form": SignForm(),
        "terminate_form": ReasonForm(),
        "amendment_form": AmendmentForm(agreement=agreement),
        "decision_form": AmendmentDecisionForm(),
    }
    return render(request, "grants/agreement.html", context)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    return _page(request, agreement)


@login_required
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    return docx_response(f"agreement-{agreement.pk}.docx", agreement_docx(agreement))


# The forms of the agreement's page post to their own addresses and come back to the page:
# a refusal is a message there, with what is wrong in each field (`form_error_message`, the
# service's field errors with `details`), as the competition's desk does.


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="manage")
    form = SignForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Подписание не отмечено: проверьте дату и скан."))
        return redirect(agreement)
    with domain_error_message(
        request, success=_("Подписание отмечено, скан приложен."), details=True
    ):
        services.agreement_sign(
            actor=request_user(request),
            agreement=agreement,
            signed_on=form.cleaned_data["signed_on"],
            upload=form.cleaned_data["file"],
        )
    return redirect(agreement)


@login_required
@require_POST
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="manage")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Соглашение не расторгнуто: укажите причину."))
        return redirect(agreement)
    with domain_error_message(request, success=_("Соглашение расторгнуто."), details=True):
        services.agreement_terminate(
            actor=request_user(request), agreement=agreement, reason=form.cleaned_data["reason"]
        )
    return redirect(agreement)


@login_required
@require_POST
def tranche_move(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_object_or_404(Tranche, pk=pk)
    agreement = permissions.get_agreement_for_user(request.user, tranche.agreement_id)
    tranche.agreement = agreement
    values = form_values(TrancheMoveForm(request.POST))
    user = request_user(request)
    with domain_error_message(request, details=True) as outcome:
        if values["move"] == "request":
            services.tranche_request(actor=user, tranche=tranche)
        else:
            services.tranche_pay(
                actor=user,
                tranche=tranche,
                payment_order=values["payment_order"],
                paid_on=values["paid_on"],
            )
    if outcome.ok:
        messages.success(
            request,
            _("Транш № %(n)s: %(status)s.")
            % {
                "n": tranche.position,
                "status": Tranche.Status(TRANCHE_STATUS[values["move"]]).label,
            },
        )
    return redirect(agreement)


TRANCHE_STATUS = {"request": Tranche.Status.REQUESTED, "pay": Tranche.Status.PAID}


@login_required
@require_POST
def amendment_propose(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    form = AmendmentForm(request.POST, agreement=agreement)
    if not form.is_valid():
        form_error_message(request, form, _("Изменение не предложено: исправьте поля с ошибками."))
        return redirect(agreement)
    with domain_error_message(
        request, success=_("Изменение предложено и ждёт решения."), details=True
    ):
        services.amendment_propose(
            actor=request_user(request), agreement=agreement, **form.service_values()
        )
    return redirect(agreement)


@login_required
@require_POST
def amendment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = get_object_or_404(Amendment, pk=pk)
    agreement = permissions.get_agreement_for_user(request.user, amendment.agreement_id)
    amendment.agreement = agreement
    values = form_values(AmendmentDecisionForm(request.POST))
    user = request_user(request)
    with domain_error_message(request, details=True) as outcome:
        if values["move"] == "approve":
            services.amendment_approve(actor=user, amendment=amendment, comment=values["comment"])
        else:
            services.amendment_reject(actor=user, amendment=amendment, reason=values["comment"])
    if outcome.ok:
        messages.success(
            request,
            _("Изменение утверждено: новая редакция соглашения.")
            if values["move"] == "approve"
            else _("Изменение отклонено."),
        )
    return redirect(agreement)
