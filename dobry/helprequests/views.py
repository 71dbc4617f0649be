from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import ConsentDocument, User
from dobry.core.clock import local_today
from dobry.core.confirm import confirm_page
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.models import District
from dobry.core.permissions import Actor
from dobry.core.request_values import (
    date_param,
    form_values,
    id_list_param,
    month_param,
    paginate,
    query_without,
)
from dobry.core.typography import quoted
from dobry.core.workflow import Move
from dobry.helprequests import figures, permissions, selectors, services
from dobry.helprequests.files import consent_scan_url
from dobry.helprequests.forms import (
    FeedbackForm,
    HelpRequestEditForm,
    HelpRequestForm,
    OfferAnswerForm,
    OfferForm,
    PriorityForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProgrammeRecordForm,
    PublicFilterForm,
    QueueFilterForm,
    ReportForm,
    RouteForm,
    TransitionForm,
)
from dobry.helprequests.matching import candidates
from dobry.helprequests.models import (
    HELP_REQUEST_WORKFLOW,
    Category,
    HelpOffer,
    HelpRequest,
    Programme,
)
from dobry.organizations.models import Membership

PAGE_SIZE = 30


def public_list(request: HttpRequest) -> HttpResponse:
    """Open requests anyone may see: the short summary and the district, nothing else."""
    form = PublicFilterForm(request.GET or None)
    # A volunteer may narrow the list to the districts of their profile.
    my_districts = (
        list(
            District.objects.filter(volunteerprofile__user=request.user).values_list(
                "pk", flat=True
            )
        )
        if request.user.is_authenticated
        else []
    )
    requests = HelpRequest.objects.filter(status__in=permissions.PUBLIC_STATUSES).select_related(
        "district"
    )
    if data := form_values(form):
        if data["category"]:
            requests = requests.filter(category=data["category"])
        if data["district"]:
            requests = requests.filter(district=data["district"])
        if data["my_districts"] and my_districts:
            requests = requests.filter(district__in=my_districts)
    page = paginate(request.GET, requests.order_by("-priority", "created_at"), PAGE_SIZE)
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
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.request_submit(
                requester=user,
                fields=form.service_fields(),
                health_info=form.cleaned_data["health_info"],
                health_consent=form.cleaned_data.get("health_consent", False),
                health_on_behalf=form.cleaned_data.get("health_on_behalf", False),
                consent_scan=form.cleaned_data.get("consent_scan"),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Просьба принята. Координатор свяжется с вами."))
            return redirect(help_request)
    consent = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA)
    return render(request, "helprequests/form.html", {"form": form, "health_consent": consent})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    requests = HelpRequest.objects.filter(requester=user).select_related("district")
    offers = (
        HelpOffer.objects.filter(volunteer=user)
        .select_related("request__district")
        .order_by("-created_at")[:50]
    )
    routed = (
        HelpRequest.objects.filter(
            programme__organization__memberships__user=user,
            programme__organization__memberships__role__in=(
                Membership.Role.OWNER,
                Membership.Role.EDITOR,
            ),
            status__in=HelpRequest.OPEN,
        )
        .select_related("programme")
        .distinct()
    )
    return render(
        request,
        "helprequests/mine.html",
        {"requests": requests, "offers": offers, "routed": routed},
    )


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


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's page. A coordinator's reading of the recipient's data is audited, so
    for them a GET shows a «Показать» button instead (`private`, a POST)."""
    help_request = permissions.get_request_for_user(request.user, pk)
    return _detail_page(request, help_request, reveal=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def private(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's page with the recipient's name, phone, address and details, on a POST
    only (a GET asks first: dobry/core/confirm.py); the reading is written to the audit log
    by `services.private_fields_read`. 403 for those `can_see_private` refuses."""
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    if not permissions.can_see_private(user, help_request):
        raise PermissionDenied
    if request.method != "POST":
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
    return _detail_page(request, help_request, reveal=True)


def _offer_to_answer(user: Actor, help_request: HelpRequest) -> tuple[HelpOffer | None, list[Move]]:
    """The offer made to `user` that they may still answer, and its answers (the buttons)."""
    if not user.is_authenticated:
        return None, []
    offer = HelpOffer.objects.filter(
        request=help_request, volunteer_id=user.pk, status=HelpOffer.Status.OFFERED
    ).first()
    moves = permissions.offer_moves(user, offer) if offer is not None else []
    return (offer, moves) if moves else (None, [])


def _detail_page(request: HttpRequest, help_request: HelpRequest, *, reveal: bool) -> HttpResponse:
    user = request.user
    audited = permissions.private_read_is_audited(user, help_request)
    if reveal or not audited:
        shown = services.private_fields_read(user=user, help_request=help_request)
    else:
        shown = False
    context = {
        "item": help_request,
        "private": shown,
        "private_on_request": audited and not shown,
        "health_allowed": help_request.has_health_info
        and bool(permissions.can_see_health(user, help_request)),
        "consent_scan_url": consent_scan_url(help_request)
        if help_request.has_consent_scan and permissions.can_see_consent_scan(user, help_request)
        else "",
        "is_coordinator": permissions.is_coordinator(user),
        "can_handle": permissions.can_handle(user, help_request),
    }
    context["my_offer"], context["my_offer_moves"] = _offer_to_answer(user, help_request)
    context["can_self_offer"] = (
        user.is_authenticated
        and help_request.status in permissions.PUBLIC_STATUSES
        and help_request.requester_id != user.pk
        and not context["can_handle"]
        and not context["my_offer"]
    )
    if context["can_handle"] and help_request.status in (
        HelpRequest.Status.VERIFIED,
        HelpRequest.Status.MATCHING,
        HelpRequest.Status.OFFERED,
    ):
        context["offerable"] = True
        context["candidates"] = candidates(
            help_request, actor=user if isinstance(user, User) else None
        )
    if user.is_authenticated and permissions.is_accepted_volunteer(user, help_request):
        context["report_form"] = ReportForm()
    if (
        help_request.status == HelpRequest.Status.DONE
        and help_request.requester_id == user.pk
        and not help_request.rating
    ):
        context["feedback_form"] = FeedbackForm()
    done_by_self = (
        help_request.status == HelpRequest.Status.DONE
        and help_request.relation == HelpRequest.Relation.SELF
        and help_request.requester is not None
        and not hasattr(help_request.requester, "volunteer_profile")
    )
    context["can_edit"] = bool(permissions.can_edit(user, help_request))
    context["can_cancel"] = bool(permissions.can_cancel(user, help_request))
    context["invite_self"] = done_by_self and help_request.requester_id == user.pk
    context["can_invite"] = (
        done_by_self and context["can_handle"] and help_request.invited_at is None
    )
    if context["can_handle"]:
        context.update(
            transition_form=TransitionForm(help_request=help_request),
            moves={m.name: m for m in HELP_REQUEST_WORKFLOW.allowed(help_request.status)},
            priority_form=PriorityForm(initial={"priority": help_request.priority}),
            route_form=RouteForm(),
            offer_form=OfferForm(),
            offers=selectors.offers_of(help_request),
        )
    return render(request, "helprequests/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def health(request: HttpRequest, pk: int) -> HttpResponse:
    """Health data, shown on a POST only (a GET asks first: dobry/core/confirm.py); every
    opening is written to the audit log."""
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    if not permissions.can_see_health(user, help_request):
        raise PermissionDenied
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Сведения о здоровье"),
            explanation=_(
                "Это особая категория персональных данных (152-ФЗ, ст. 10). Откройте их, только "
                "если они нужны для помощи: просмотр записывается в журнал."
            ),
            button=_("Показать сведения о здоровье"),
            back_url=help_request.get_absolute_url(),
        )
    text = services.health_info_read(user=user, help_request=help_request)
    return render(request, "helprequests/health.html", {"item": help_request, "text": text})


def _handler_request(request: HttpRequest, pk: int) -> tuple[User, HelpRequest]:
    user = request_user(request)
    return user, permissions.get_request_to_handle(user, pk)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    form = TransitionForm(request.POST, help_request=help_request)
    if not form.is_valid():
        messages.error(request, _("Выберите один из допустимых статусов."))
        return redirect(help_request)
    with domain_error_message(request) as outcome:
        moved = services.request_transition(
            actor=user, help_request=help_request, **form.cleaned_data
        )
    if outcome.ok:
        messages.success(
            request,
            _("Статус изменён: %(status)s.")
            % {"status": quoted(HELP_REQUEST_WORKFLOW.staff_name(moved.status))},
        )
    return redirect(help_request)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators correct an open request; the person who asked, their own while it is
    new or waiting for their answer (`permissions.can_edit`)."""
    user = request_user(request)
    help_request = permissions.get_request_to_edit(user, pk)
    form = HelpRequestEditForm(request.POST or None, instance=help_request)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                actor=user, help_request=help_request, fields=form.service_fields()
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Просьба сохранена."))
            return redirect(help_request)
    return render(request, "helprequests/edit.html", {"form": form, "item": help_request})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The person who asked cancels their own request while help has not started."""
    user = request_user(request)
    help_request = permissions.get_request_to_cancel(user, pk)
    with domain_error_message(
        request, success=_("Просьба отменена. Если помощь снова понадобится — пишите.")
    ):
        services.request_cancel(
            user=user, help_request=help_request, reason=request.POST.get("reason", "")
        )
    return redirect(help_request)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    with domain_error_message(request, success=_("Приглашение отправлено.")):
        services.recipient_invite(actor=user, help_request=help_request)
    return redirect(help_request)


@login_required
@require_POST
def priority(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_to_triage(user, pk)
    data = form_values(PriorityForm(request.POST))
    with domain_error_message(request, success=_("Срочность сохранена.")):
        services.request_set_priority(
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
        services.request_route(actor=user, help_request=help_request, programme=data["programme"])
    return redirect(help_request)


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    form = OfferForm(request.POST)
    ids = id_list_param(request.POST, "volunteer")
    emails = form.cleaned_data["emails"].split(",") if form.is_valid() else []
    with domain_error_message(request) as outcome:
        offers = services.offer_make_to(
            actor=user, help_request=help_request, volunteer_ids=ids, emails=emails
        )
    if outcome.ok:
        messages.success(request, _("Предложение отправлено: %(n)s.") % {"n": len(offers)})
    return redirect(help_request)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_offer = get_object_or_404(
        HelpOffer.objects.select_related("request"), pk=pk, volunteer=user
    )
    # the button's move is required: a POST without one is a 400 naming `answer`
    answer = form_values(OfferAnswerForm(request.POST))["answer"]
    with domain_error_message(
        request,
        success=_("Спасибо! Вы взялись помочь.") if answer == "accept" else _("Ответ записан."),
    ):
        services.offer_respond(user=user, offer=help_offer, answer=answer)
    return redirect(help_offer.request)


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
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Расскажите, что сделано, и укажите часы."))
        return redirect(help_request)
    with domain_error_message(
        request, success=_("Спасибо! Отчёт получен, координатор закроет просьбу.")
    ):
        services.help_report(volunteer=user, help_request=help_request, **form.cleaned_data)
    return redirect(help_request)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    user, help_request = _handler_request(request, pk)
    with domain_error_message(
        request, success=_("Просьба выполнена, часы волонтёров записаны в их книжки.")
    ):
        services.request_complete(actor=user, help_request=help_request)
    return redirect(help_request)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите оценку от 1 до 5."))
        return redirect(help_request)
    with domain_error_message(request, success=_("Спасибо за отзыв!")):
        services.request_feedback(user=user, help_request=help_request, **form.cleaned_data)
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
            result = services.batch_plan_confirm(
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
            services.programme_save(
                actor=user, programme=programme, fields=data, districts=districts
            )
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
    chosen = programme.records.filter(month=month).first() if month else None
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
            services.programme_record_save(actor=user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Запись сохранена: она войдёт в отчёты практики."))
            return redirect("helprequests:programme_records", pk=programme.pk)
    return render(
        request,
        "helprequests/programme_records.html",
        {
            "programme": programme,
            "form": form,
            "records": list(selectors.programme_records(programme)),
        },
    )


@login_required
@require_POST
def self_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    with domain_error_message(request, success=_("Спасибо! Координатор свяжется с вами.")):
        services.volunteer_self_offer(user=user, help_request=help_request)
    return redirect(help_request)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinators' view of the whole desk of help."""
    user = request_user(request)
    if not (permissions.is_coordinator(user) or user.is_official):
        raise PermissionDenied
    open_requests = HelpRequest.objects.filter(status__in=HelpRequest.OPEN)
    now = timezone.now()
    created = list(open_requests.values_list("created_at", flat=True))
    year = local_today().year
    context = {
        "by_category": open_requests.values("category").annotate(n=Count("pk")).order_by("-n"),
        "by_district": open_requests.values("district__name")
        .annotate(n=Count("pk"))
        .order_by("-n"),
        "open_count": len(created),
        "average_wait": (sum(((now - c) for c in created), timedelta()) / len(created))
        if created
        else None,
        "unanswered_offers": HelpOffer.objects.filter(status=HelpOffer.Status.OFFERED).count(),
        "load": User.objects.filter(
            help_offers__status=HelpOffer.Status.ACCEPTED,
            help_offers__request__status__in=HelpRequest.ACTIVE_TASK,
        )
        .annotate(n=Count("help_offers"))
        .order_by("-n")[:10],
        # the reports' definition, handed in by the site (see helprequests/figures.py)
        "helped_this_year": figures.helped_residents(year),
        "year": year,
        "categories": dict(Category.choices),
    }
    return render(request, "helprequests/dashboard.html", context)
