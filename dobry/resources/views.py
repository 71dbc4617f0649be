from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import paginate
from dobry.organizations.models import Organization, OrganizationQuerySet
from dobry.resources import permissions, services
from dobry.resources.forms import (
    AskForm,
    CloseForm,
    RateForm,
    RecordForm,
    ReplyForm,
    SupportFilterForm,
    SupportRecordForm,
)
from dobry.resources.models import Consultation, Giver, SupportKind, SupportRecord

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
    status = request.GET.get("status", "open")
    consultations = Consultation.objects.select_related("asker", "organization", "consultant")
    if status == "open":
        consultations = consultations.exclude(status=Consultation.Status.CLOSED).order_by(
            "status", "created_at"
        )
    elif status in Consultation.Status.values:
        consultations = consultations.filter(status=status)
    else:
        status = "all"
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
        messages.error(request, _("Запишите итог консультации."))
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
        messages.error(request, _("Выберите оценку от 1 до 5."))
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


@login_required
def support_registry(request: HttpRequest) -> HttpResponse:
    """Staff see every act of support, with totals by kind and by giver."""
    user = request_user(request)
    if not permissions.can_read_support_registry(user):
        raise PermissionDenied
    filters = SupportFilterForm(request.GET or None, auto_id="filter_%s")
    records = SupportRecord.objects.select_related("organization", "person")
    if filters.is_valid():
        data = filters.cleaned_data
        records = records.in_period(data["date_from"], data["date_to"])
        if data["organization"]:
            records = records.filter(organization=data["organization"])
        if data["kind"]:
            records = records.filter(kind=data["kind"])
    totals = {
        "by_kind": _labelled(
            records.values("kind").annotate(n=Count("pk"), value=Sum("value_rub")),
            "kind",
            SupportKind,
        ),
        "by_giver": _labelled(
            records.values("giver").annotate(n=Count("pk"), value=Sum("value_rub")), "giver", Giver
        ),
        "organizations": records.exclude(organization=None)
        .values("organization")
        .distinct()
        .count(),
    }
    form = SupportRecordForm(request.POST or None) if permissions.is_consultant(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.support_record_create(actor=user, **data)
            except (DomainError, ValidationError) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Запись добавлена в реестр поддержки."))
                return redirect("resources:support")
    page = paginate(request.GET, records, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/support.html",
        {
            "page": page,
            "filters": filters,
            "totals": totals,
            "form": form,
            "query": query.urlencode(),
        },
    )


def _labelled(rows: object, field: str, choices: type) -> list[dict]:
    return [{**row, "label": choices(row[field]).label} for row in rows.order_by(field)]  # type: ignore[attr-defined]
