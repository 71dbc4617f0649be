"""The resident's side: the public list of open requests, asking for help, one's own
requests and offers, correcting, cancelling and rating one's own request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import ConsentDocument
from dobry.core.confirm import confirm_page
from dobry.core.errors import DomainError, TooMany
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate
from dobry.helprequests import permissions, selectors
from dobry.helprequests.forms import (
    FeedbackForm,
    HelpRequestEditForm,
    HelpRequestForm,
    PublicFilterForm,
)
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import completion, private_data, submission
from dobry.helprequests.views import PAGE_SIZE


def public_list(request: HttpRequest) -> HttpResponse:
    """Open requests anyone may see: the short summary and the district, nothing else."""
    form = PublicFilterForm(request.GET or None)
    # A volunteer may narrow the list to the districts of their profile.
    my_districts = selectors.volunteer_districts(request.user)
    data = dict(form_values(form) or {})
    if data.pop("my_districts", False):
        data["districts"] = my_districts
    requests = selectors.public_requests(data)
    page = paginate(request.GET, requests, PAGE_SIZE)
    return render(
        request,
        "helprequests/public.html",
        {"form": form, "page": page, "has_districts": bool(my_districts)},
    )


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = HelpRequestForm(
        request.POST or None,
        request.FILES or None,
        coordinator=permissions.is_coordinator(user),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            help_request = submission.request_submit(
                requester=user,
                fields=form.service_fields(),
                health_info=form.cleaned_data["health_info"],
                health_consent=form.cleaned_data.get("health_consent", False),
                health_on_behalf=form.cleaned_data.get("health_on_behalf", False),
                consent_scan=form.cleaned_data.get("consent_scan"),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
            status = error.status if isinstance(error, TooMany) else 200
        else:
            messages.success(request, _("Просьба принята. Координатор свяжется с вами."))
            return redirect(help_request)
    consent = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA)
    return render(
        request,
        "helprequests/form.html",
        {"form": form, "health_consent": consent},
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    requests = selectors.own_requests(user)
    offers = selectors.offers_to(user)[: selectors.MY_OFFERS]
    routed = selectors.routed_to(user)
    return render(
        request,
        "helprequests/mine.html",
        {"requests": requests, "offers": offers, "routed": routed},
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators correct an open request; the person who asked, their own while it is
    new or waiting for their answer (`permissions.can_edit`). The form holds the
    recipient's data: where reading it is audited (`permissions.private_on_get` refuses it
    to a GET — a coordinator's), a GET asks first, and the confirmation's empty POST writes
    the audit entry and opens the form."""
    user = request_user(request)
    help_request = permissions.get_request_to_edit(user, pk)
    if not permissions.private_on_get(user, help_request):
        if request.method != "POST":
            return _confirm_reading(request, help_request)
        if not set(request.POST) - {"csrfmiddlewaretoken"}:
            private_data.private_fields_read(user=user, help_request=help_request)
            return _edit_page(request, HelpRequestEditForm(instance=help_request))
    form = HelpRequestEditForm(request.POST or None, instance=help_request)
    if request.method == "POST" and form.is_valid():
        try:
            submission.request_update(
                actor=user, help_request=help_request, fields=form.service_fields()
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Просьба сохранена."))
            return redirect(help_request)
    return _edit_page(request, form)


def _confirm_reading(request: HttpRequest, help_request: HelpRequest) -> HttpResponse:
    return confirm_page(
        request,
        title=_("Данные получателя помощи"),
        explanation=_(
            "Имя, телефон и адрес — персональные данные (152-ФЗ). Откройте их, только если "
            "они нужны для помощи: просмотр записывается в журнал."
        ),
        button=_("Показать"),
        back_url=help_request.get_absolute_url(),
    )


def _edit_page(request: HttpRequest, form: HelpRequestEditForm) -> HttpResponse:
    return render(request, "helprequests/edit.html", {"form": form, "item": form.instance})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The person who asked cancels their own request while help has not started."""
    user = request_user(request)
    help_request = permissions.get_request_to_cancel(user, pk)
    with domain_error_message(
        request, success=_("Просьба отменена. Если помощь снова понадобится — пишите.")
    ):
        submission.request_cancel(
            user=user, help_request=help_request, reason=request.POST.get("reason", "")
        )
    return redirect(help_request)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Выберите оценку от 1 до 5."))
        return redirect(help_request)
    with domain_error_message(request, success=_("Спасибо за отзыв!")):
        completion.request_feedback(user=user, help_request=help_request, **form.cleaned_data)
    return redirect(help_request)
