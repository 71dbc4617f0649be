"""The coordinators' and programme staff's desk: the queue, triage, offers, moves, closing,
the day's batch and the dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core.clock import local_today
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.request_values import date_param, form_values, id_list_param, paginate
from dobry.core.typography import quoted
from dobry.helprequests import figures, permissions, selectors
from dobry.helprequests.forms import (
    OfferForm,
    PriorityForm,
    QueueFilterForm,
    RouteForm,
    TransitionForm,
)
from dobry.helprequests.models import HELP_REQUEST_WORKFLOW, Category, HelpRequest
from dobry.helprequests.services import batches, completion, offering, triage, workflow
from dobry.helprequests.views import PAGE_SIZE


def _handler_request(request: HttpRequest, pk: int) -> tuple[User, HelpRequest]:
    user = request_user(request)
    return user, permissions.get_request_to_handle(user, pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not (decision := permissions.can_triage(user)):
        raise PermissionDenied(decision.reason)
    # An unknown status is a 400 naming it, not an empty queue that looks like no work.
    status = form_values(QueueFilterForm(request.GET or None)).get("status") or QueueFilterForm.OPEN
    requests = selectors.triage_queue(None if status == QueueFilterForm.OPEN else status)
    page = paginate(request.GET, requests, PAGE_SIZE)
    now = timezone.now()
    rows = [(r, selectors.waiting_level(r, now)) for r in page]
    return render(
        request,
        "helprequests/queue.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": HelpRequest.Status.choices,
            "query": f"status={status}",
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    form = TransitionForm(
        request.POST,
        help_request=help_request,
        moves=permissions.moves_by_hand(user, help_request),
    )
    if not form.is_valid():
        form_error_message(request, form, _("Выберите один из допустимых статусов."))
        return redirect(help_request)
    with domain_error_message(request) as outcome:
        moved = workflow.request_move(actor=user, help_request=help_request, **form.cleaned_data)
    if outcome.ok:
        messages.success(
            request,
            _("Статус изменён: %(status)s.")
            % {"status": quoted(HELP_REQUEST_WORKFLOW.staff_name(moved.status))},
        )
    return redirect(help_request)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    with domain_error_message(request, success=_("Приглашение отправлено.")):
        completion.recipient_invite(actor=user, help_request=help_request)
    return redirect(help_request)


@login_required
@require_POST
def priority(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_to_triage(user, pk)
    data = form_values(PriorityForm(request.POST))
    with domain_error_message(request, success=_("Срочность сохранена.")):
        triage.request_set_priority(
            actor=user, help_request=help_request, priority=data["priority"]
        )
    return redirect(help_request)


@login_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_to_triage(user, pk)
    data = form_values(RouteForm(request.POST))
    with domain_error_message(request, success=_("Просьба передана в программу.")):
        triage.request_route(actor=user, help_request=help_request, programme=data["programme"])
    return redirect(help_request)


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    form = OfferForm(request.POST)
    ids = id_list_param(request.POST, "volunteer")
    if not form.is_valid():
        form_error_message(request, form, _("Выберите, кому предложить просьбу."))
        return redirect(help_request)
    emails = form.cleaned_data["emails"].split(",")
    with domain_error_message(request) as outcome:
        offers = offering.offer_make_to(
            actor=user, help_request=help_request, volunteer_ids=ids, emails=emails
        )
    if outcome.ok:
        messages.success(request, _("Предложение отправлено: %(n)s.") % {"n": len(offers)})
    return redirect(help_request)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    with domain_error_message(
        request, success=_("Просьба выполнена, часы волонтёров записаны в их книжки.")
    ):
        completion.request_complete(actor=user, help_request=help_request)
    return redirect(help_request)


@login_required
def batch(request: HttpRequest) -> HttpResponse:
    """Batch mode: a proposal assigning all open requests of a day at once, each match
    with its reasons; the coordinator reviews it and confirms, which sends the offers."""
    user = request_user(request)
    if not (decision := permissions.can_plan_batch(user)):
        raise PermissionDenied(decision.reason)
    params = request.POST if request.method == "POST" else request.GET
    day = date_param(params, "day") or local_today()
    if request.method == "POST":
        with domain_error_message(request) as outcome:
            result = batches.batch_plan_confirm(
                actor=user, day=day, key=request.POST.get("key", "")
            )
        if not outcome.ok:
            return redirect(f"{reverse('helprequests:batch')}?day={day.isoformat()}")
        messages.success(request, _("Предложения отправлены: %(n)s.") % {"n": result.sent})
        for help_request, reason in result.skipped:
            messages.warning(
                request,
                _("%(summary)s осталась в очереди: %(reason)s")
                % {"summary": quoted(help_request.summary), "reason": reason},
            )
        return redirect("helprequests:queue")
    return render(request, "helprequests/batch.html", {"plan": selectors.day_plan(day)})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinators' view of the whole desk of help."""
    user = request_user(request)
    if not (permissions.is_coordinator(user) or user.is_official):
        raise PermissionDenied
    year = local_today().year
    context = {
        **vars(selectors.desk_figures(timezone.now())),
        # the reports' definition, handed in by the site (see helprequests/figures.py)
        "helped_this_year": figures.helped_residents(year),
        "year": year,
        "categories": dict(Category.choices),
    }
    return render(request, "helprequests/dashboard.html", context)
