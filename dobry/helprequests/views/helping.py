"""The volunteer's side: answering an offer, offering oneself, reporting the help given."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.request_values import form_values
from dobry.helprequests import permissions
from dobry.helprequests.forms import OfferAnswerForm, ReportForm
from dobry.helprequests.services import completion, offering


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_offer = permissions.get_offer_for_volunteer(user, pk)
    # the button's move is required: a POST without one is a 400 naming `answer`
    answer = form_values(OfferAnswerForm(request.POST))["answer"]
    with domain_error_message(
        request,
        success=_("Спасибо! Вы взялись помочь.") if answer == "accept" else _("Ответ записан."),
    ):
        offering.offer_respond(user=user, offer=help_offer, answer=answer)
    return redirect(help_offer.request)


@login_required
@require_POST
def self_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    with domain_error_message(request, success=_("Спасибо! Координатор свяжется с вами.")):
        offering.volunteer_self_offer(user=user, help_request=help_request)
    return redirect(help_request)


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Расскажите, что сделано, и укажите часы."))
        return redirect(help_request)
    with domain_error_message(
        request, success=_("Спасибо! Отчёт получен, координатор закроет просьбу.")
    ):
        completion.help_report(volunteer=user, help_request=help_request, **form.cleaned_data)
    return redirect(help_request)
