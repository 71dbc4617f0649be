"""An organisation's spending on its charity desk: the list with a form to add an item,
an item's edit page, deletion, and publishing its receipt. Only the organisation's owner
and editors (`permissions`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.charity import permissions, selectors
from dobry.charity.forms import ReceiptPublishForm, SpendingForm
from dobry.charity.services import spending as spending_services
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate

SERVICE_ERRORS = (DomainError, ValidationError)


@login_required
def spending(request: HttpRequest, organization_pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    form = SpendingForm(request.POST or None, request.FILES or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            spending_services.spending_create(
                actor=user, organization=organization, **form.service_values()
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Расход записан."))
            return redirect("charity:spending", organization.pk)
    page = paginate(request.GET, selectors.spending_of(organization), selectors.SPENDING_PAGE)
    context = {"organization": organization, "form": form, "page": page}
    return render(request, "charity/spending.html", context)


@login_required
def spending_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    form = SpendingForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        organization=item.organization,
    )
    if request.method == "POST" and form.is_valid():
        try:
            spending_services.spending_edit(actor=user, item=item, **form.service_values())
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("charity:spending", item.organization_id)
    context = {"organization": item.organization, "form": form, "item": item}
    return render(request, "charity/spending_form.html", context)


@login_required
@require_POST
def spending_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    organization_pk = item.organization_id
    with domain_error_message(request, success=_("Расход удалён.")):
        spending_services.spending_delete(actor=user, item=item)
    return redirect("charity:spending", organization_pk)


@login_required
@require_POST
def receipt_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    publish = form_values(ReceiptPublishForm(request.POST))["publish"]
    done = _("Документ опубликован.") if publish else _("Документ скрыт.")
    with domain_error_message(request, success=done):
        spending_services.spending_publish_receipt(actor=user, item=item, publish=publish)
    return redirect("charity:spending", item.organization_id)
