"""Programmes of help: the catalogue, editing a programme, its monthly records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, month_param, paginate, query_without
from dobry.helprequests import permissions, selectors
from dobry.helprequests.forms import ProgrammeFilterForm, ProgrammeForm, ProgrammeRecordForm
from dobry.helprequests.models import Programme
from dobry.helprequests.services import programmes as programmes_service
from dobry.helprequests.services.programmes import programme_record_save, programme_save
from dobry.helprequests.views import PAGE_SIZE


def programmes(request: HttpRequest) -> HttpResponse:
    """Who helps whom in the city: the public catalogue of running programmes, a page at a
    time; those who keep programmes find all of theirs above it, finished and future ones
    too, a page at a time of their own (`own_page`)."""
    items = selectors.filtered_programmes(form_values(ProgrammeFilterForm(request.GET or None)))
    kept = selectors.kept_programmes(request.user).order_by("name", "pk")
    return render(
        request,
        "helprequests/programmes.html",
        {
            "programmes": paginate(request.GET, items, PAGE_SIZE),
            "query": query_without(request.GET, "page"),
            "own": paginate(request.GET, kept, PAGE_SIZE, name="own_page"),
            "own_query": query_without(request.GET, "own_page"),
            "can_add_programme": permissions.can_add_programme(request.user).allowed,
        },
    )


@login_required
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Organisation editors describe their programmes of help (new or existing)."""
    user = request_user(request)
    organizations = permissions.editable_organizations(user)
    programme = permissions.get_programme_to_keep(user, pk) if pk else Programme()
    if not pk and not (decision := permissions.can_add_programme(user)):
        raise PermissionDenied(decision.reason)
    form = ProgrammeForm(request.POST or None, instance=programme, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        districts = data.pop("districts")
        try:
            programme_save(actor=user, programme=programme, fields=data, districts=districts)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Программа сохранена."))
            return redirect("helprequests:programmes")
    return render(
        request,
        "helprequests/programme_form.html",
        {"form": form, "programme": programme if pk else None},
    )


@login_required
def programme_records(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's organisation (and coordinators) record, month by month, how many
    people it helped beyond the platform's requests; a month is corrected in place."""
    user = request_user(request)
    programme = permissions.get_programme_to_keep(user, pk)
    initial: dict[str, object] = {}
    month = month_param(request.GET, "month")
    chosen = selectors.programme_record(programme, month)
    if chosen:
        initial = {
            "month": chosen.month,
            "people": chosen.people,
            "first_time": chosen.first_time,
            "note": chosen.note,
        }
    form = ProgrammeRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme_record_save(actor=user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Запись сохранена: она войдёт в отчёты практики.")
                if permissions.can_confirm_records(user)
                else _(
                    "Запись сохранена: она войдёт в отчёты практики, когда её подтвердит "
                    "координатор."
                ),
            )
            return redirect("helprequests:programme_records", pk=programme.pk)
    return render(
        request,
        "helprequests/programme_records.html",
        {
            "programme": programme,
            "form": form,
            "records": list(selectors.programme_records(programme)),
            "can_confirm": bool(permissions.can_confirm_records(user)),
        },
    )


@login_required
@require_POST
def programme_record_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator confirms a month's record (`services.programmes.programme_record_confirm`)."""
    user = request_user(request)
    programme = permissions.get_programme_to_keep(user, pk)
    month = month_param(request.POST, "month")
    if month is None:
        messages.error(request, _("Выберите месяц."))
    else:
        with domain_error_message(request, success=_("Запись подтверждена.")):
            programmes_service.programme_record_confirm(
                actor=user, programme=programme, month=month
            )
    return redirect("helprequests:programme_records", pk=programme.pk)
