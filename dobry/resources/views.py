from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core import references
from dobry.core.clock import local_today
from dobry.core.confirm import confirm_page
from dobry.core.documents import csv_response, xlsx_response
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate
from dobry.organizations.models import Organization, OrganizationQuerySet
from dobry.resources import permissions, selectors, services
from dobry.resources.forms import (
    AskForm,
    CloseForm,
    ConsultationQueueFilterForm,
    RateForm,
    RecordForm,
    ReplyForm,
    SupportFilterForm,
    SupportRecordForm,
)
from dobry.resources.models import Consultation

PAGE_SIZE = 30


def _my_organizations(user: User) -> OrganizationQuerySet:
    return Organization.objects.filter(memberships__user=user).order_by("name")


@login_required
def my_consultations(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    consultations = (
        Consultation.objects.filter(Q(asker=user) | Q(organization__memberships__user=user))
        .distinct()
        .select_related("organization", "consultant")
    )
    page = paginate(request.GET, consultations, PAGE_SIZE)
    return render(request, "resources/my_consultations.html", {"page": page})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The consultants' queue: new questions first, then those in work."""
    user = request_user(request)
    if not permissions.is_consultant(user):
        raise PermissionDenied
    form = ConsultationQueueFilterForm(request.GET or None)
    status = form_values(form).get("status") or form.OPEN
    consultations = Consultation.objects.select_related("asker", "organization", "consultant")
    if status == form.OPEN:
        consultations = consultations.exclude(status=Consultation.Status.CLOSED).order_by(
            "status", "created_at"
        )
    elif status != form.ALL:
        consultations = consultations.filter(status=status)
    page = paginate(request.GET, consultations, PAGE_SIZE)
    return render(
        request,
        "resources/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": Consultation.Status.choices,
            "query": f"status={status}",
        },
    )


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = AskForm(
        request.POST or None, request.FILES or None, organizations=_my_organizations(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_ask(
                user=user,
                topic=data["topic"],
                subject=data["subject"],
                text=data["text"],
                organization=data["organization"],
                attachment=data["attachment"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Вопрос отправлен в ресурсный центр. Ответ придёт сюда и на почту.")
            )
            return redirect(consultation)
    return render(request, "resources/ask.html", {"form": form})


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    consultation = permissions.get_consultation_for_user(user, pk)
    reply_form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and reply_form.is_valid():
        try:
            services.consultation_reply(
                author=user,
                consultation=consultation,
                text=reply_form.cleaned_data["text"],
                attachment=reply_form.cleaned_data["attachment"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(reply_form, error)
        else:
            return redirect(consultation)
    context = {
        "consultation": consultation,
        "thread": consultation.messages.select_related("author"),
        "reply_form": reply_form,
        "close_form": CloseForm(),
        "rate_form": RateForm(),
        "is_consultant": permissions.is_consultant(user),
        "is_asker": consultation.asker_id == user.pk,
        "moves": permissions.consultation_moves(user, consultation),
    }
    return render(request, "resources/consultation.html", context)


@login_required
@require_POST
def consultation_take(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    consultation = permissions.get_consultation_for_user(user, pk, answer=True)
    with domain_error_message(request):
        services.consultation_take(actor=user, consultation=consultation)
    return redirect(consultation)


@login_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    consultation = permissions.get_consultation_for_user(user, pk, answer=True)
    form = CloseForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Запишите итог консультации."))
        return redirect(consultation)
    with domain_error_message(
        request, success=_("Консультация закрыта, поддержка записана в реестр.")
    ):
        services.consultation_close(
            actor=user, consultation=consultation, summary=form.cleaned_data["summary"]
        )
    return redirect(consultation)


@login_required
@require_POST
def consultation_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    consultation = permissions.get_consultation_for_user(user, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Выберите оценку от 1 до 5."))
        return redirect(consultation)
    with domain_error_message(request, success=_("Спасибо за оценку!")):
        services.consultation_rate(
            user=user,
            consultation=consultation,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    return redirect(consultation)


@login_required
def consultation_record(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.is_consultant(user):
        raise PermissionDenied
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_record(actor=user, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Консультация записана."))
            return redirect(consultation)
    return render(request, "resources/record.html", {"form": form})


def _support_filters(request: HttpRequest) -> tuple[SupportFilterForm, dict]:
    """The registry's filters from the query string, page and export alike (a wrong one
    answers 400 naming the filter)."""
    filters = SupportFilterForm(request.GET or None, auto_id="filter_%s")
    return filters, form_values(filters)


@login_required
def support_registry(request: HttpRequest) -> HttpResponse:
    """Staff see every act of support, with totals by kind and by giver."""
    user = request_user(request)
    if not permissions.can_read_support_registry(user):
        raise PermissionDenied
    filters, data = _support_filters(request)
    records = selectors.support_records(data)
    form = SupportRecordForm(request.POST or None) if permissions.is_consultant(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.support_record_create(actor=user, **form.cleaned_data)
            except (DomainError, ValidationError) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Запись добавлена в реестр поддержки."))
                return redirect("resources:support")
    page = paginate(request.GET, records, PAGE_SIZE)
    page.object_list = references.attach(page.object_list, "source", user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/support.html",
        {
            "page": page,
            "filters": filters,
            "totals": selectors.support_totals(records),
            "form": form,
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def support_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The registry of recipients of support as XLSX or CSV, with the page's filters. It
    names residents who received support, so it downloads on POST only (a GET asks)."""
    user = request_user(request)
    if not (decision := permissions.can_read_support_registry(user)):
        raise PermissionDenied(decision.reason)
    _filters, data = _support_filters(request)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Реестр получателей поддержки"),
            explanation=_(
                "В файле названия организаций и имена жителей, получивших поддержку: храните "
                "его только пока он нужен и не пересылайте посторонним."
            ),
            button=_("Скачать реестр"),
            back_url=reverse("resources:support"),
        )
    records = selectors.support_records(data)
    header, rows = selectors.registry_header(), selectors.registry_rows(records)
    filename = f"support-registry-{local_today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows, delimiter=";")
    return xlsx_response(filename, _("Реестр поддержки"), header, rows)
