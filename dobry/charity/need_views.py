"""In-kind needs: the public list and a need's page with its pledge form; the
organisation's form and its buttons for pledges (received, cancelled)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.charity import permissions, selectors
from dobry.charity.forms import NeedFilterForm, NeedForm, NeedMoveForm, PledgeForm, PledgeMoveForm
from dobry.charity.models import NEED_WORKFLOW, Need
from dobry.charity.services import needs as services
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate, query_without
from dobry.organizations.models import Organization
from dobry.organizations.permissions import organizations_edited_by


def needs(request: HttpRequest) -> HttpResponse:
    form = NeedFilterForm(request.GET or None)
    page = paginate(request.GET, selectors.needs_catalogue(form_values(form)), selectors.NEED_PAGE)
    context = {"form": form, "page": page, "query": query_without(request.GET, "page")}
    return render(request, "charity/needs.html", context)


def _pledge_form(request: HttpRequest, data: object = None) -> PledgeForm:
    user = request.user
    mine = organizations_edited_by(user) if user.is_authenticated else Organization.objects.none()
    return PledgeForm(data, organizations=mine)


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = permissions.get_need_for_user(request.user, pk)
    promised = services.promised(need)
    can_manage = permissions.can_manage_money(request.user, need.organization).allowed
    user = request.user
    context = {
        "need": need,
        "promised": promised,
        "remaining": max(need.quantity - promised, 0),
        "can_pledge": permissions.can_pledge(user, need),
        "form": _pledge_form(request),
        "can_manage": can_manage,
        "moves": NEED_WORKFLOW.moves_for(user, need, permissions.can_move_need),
        "pledges": selectors.pledges_of(need) if can_manage else [],
        "my_pledges": need.pledges.filter(pledger_id=user.pk) if user.is_authenticated else [],
    }
    return render(request, "charity/need.html", context)


@login_required
@require_POST
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    need = permissions.get_need_for_user(user, pk)
    form = _pledge_form(request, request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Укажите, сколько принесёте."))
        return redirect(need)
    with domain_error_message(
        request,
        success=_("Спасибо! Организация увидит ваше обещание и свяжется с вами."),
        details=True,
    ):
        services.pledge_create(actor=user, need=need, **form.cleaned_data)
    return redirect(need)


@login_required
@require_POST
def pledge_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = permissions.get_pledge_for_user(user, pk)
    name = form_values(PledgeMoveForm(request.POST))["move"]
    with domain_error_message(request, success=_("Готово.")):
        services.pledge_move(actor=user, pledge=found, name=name)
    return redirect(found.need)


@login_required
@require_POST
def need_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    need = permissions.get_need_for_user(user, pk)
    name = form_values(NeedMoveForm(request.POST))["move"]
    with domain_error_message(request, success=_("Готово.")):
        services.need_move(actor=user, need=need, name=name)
    return redirect(need)


def _need_form(request: HttpRequest, organization: Organization, need: Need | None) -> HttpResponse:
    user = request_user(request)
    form = NeedForm(request.POST or None, instance=need, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.need_save(
                actor=user, organization=organization, need=need, **form.service_values()
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Сохранено."))
            return redirect(saved)
    context = {"organization": organization, "form": form, "need": need}
    return render(request, "charity/need_form.html", context)


@login_required
def need_create(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = permissions.get_money_organization_for_user(request.user, organization_pk)
    return _need_form(request, organization, None)


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = permissions.get_need_for_user(request.user, pk, action="manage")
    return _need_form(request, need.organization, need)
