import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.communications import open_graph
from dobry.core.clock import local_time
from dobry.core.confirm import confirm_page
from dobry.core.documents import docx_letter, docx_response
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.page_cache import public_page
from dobry.core.redirects import redirect_to_next
from dobry.core.request_values import choice_param, form_values, id_param, paginate, query_without
from dobry.core.site import absolute_url
from dobry.core.typography import quoted
from dobry.events import permissions, rules, selectors
from dobry.events.forms import (
    EventFilterForm,
    EventForm,
    GroupSignupForm,
    MaterialForm,
    MessageForm,
    NewEventForm,
    ReasonForm,
    RepeatForm,
    ShiftForm,
)
from dobry.events.models import Event, Registration, Shift
from dobry.events.recommendations import suggestions
from dobry.events.services import events as event_services
from dobry.events.services import registrations as signup
from dobry.events.services.accessibility import accessibility_needs_read
from dobry.organizations.models import Organization
from dobry.volunteering.models import VolunteerProfile

PAGE_SIZE = 20


@public_page
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    data = form_values(form)
    events = selectors.filtered_events(data, request.user)
    page = paginate(request.GET, events, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "query": query_without(request.GET, "page"),
        "all_organizers_query": query_without(request.GET, "page", "organization"),
        "past": data.get("when") == selectors.PAST,
        "suits_me": bool(data.get("suits_me")) and request.user.is_authenticated,
    }
    return render(request, "events/list.html", context)


@public_page
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for_user(request.user, pk)
    shifts = selectors.shifts_of(event, request.user)
    for shift in shifts:
        if shift.mine is not None:  # type: ignore[attr-defined]
            shift.mine.moves = permissions.registration_moves(  # type: ignore[attr-defined]
                request.user,
                shift.mine,  # type: ignore[attr-defined]
                organiser=False,
            )
    context = {
        "event": event,
        "shifts": shifts,
        "can_manage": permissions.can_manage(request.user, event).allowed,
        # the page of an organisation not verified now opens only for those registered
        # (and its organisers): it says signups are closed instead of offering them
        "signups_closed": rules.signups_closed(event),
        "group_form": GroupSignupForm(),
        "area_labels": event.area_labels,
        "materials": event.materials.all(),
        "my_organizations": list(
            Organization.objects.filter(memberships__user=request.user).order_by("name")
        )
        if request.user.is_authenticated and event.is_training
        else [],
        "og": open_graph.card(
            title=event.title,
            description=event.summary or event.description,
            path=event.get_absolute_url(),
            image=event.cover or None,
        ),
        "needs_birth_date": request.user.is_authenticated
        and not VolunteerProfile.objects.filter(
            user_id=request.user.pk, date_of_birth__isnull=False
        ).exists(),
    }
    return render(request, "events/detail.html", context)


def _back_to_event(registration_or_shift: Registration | Shift) -> HttpResponse:
    shift = (
        registration_or_shift.shift
        if isinstance(registration_or_shift, Registration)
        else registration_or_shift
    )
    return redirect(shift.event)


@login_required
@require_POST
def shift_signup(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    shift = permissions.get_shift_for_user(user, pk)
    fields: dict = {}
    represents_id = id_param(request.POST, "represents")
    if request.POST.get("group"):
        form = GroupSignupForm(request.POST)
        if not form.is_valid():
            form_error_message(request, form, _("Проверьте сведения о группе."))
            return redirect(shift.event)
        fields.update(form.cleaned_data)
    with domain_error_message(request) as outcome:
        fields["represents"] = signup.represented_organization(
            user=user, organization_id=represents_id
        )
        registration = signup.registration_create(user=user, shift=shift, **fields)
    if not outcome.ok:
        return redirect(shift.event)
    text = {
        Registration.Status.CONFIRMED: _("Вы записаны! Код для отметки: %(code)s."),
        Registration.Status.PENDING_APPROVAL: _(
            "Заявка отправлена организатору, место за вами сохранено."
        ),
        Registration.Status.WAITLISTED: _(
            "Мест нет — вы в листе ожидания. Мы сообщим, когда место освободится."
        ),
    }[Registration.Status(registration.status)]
    messages.success(request, text % {"code": registration.code} if "%(code)s" in text else text)
    return redirect(shift.event)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    registration = permissions.get_own_registration(user, pk)
    with domain_error_message(request) as outcome:
        registration = signup.registration_cancel(user=user, registration=registration)
    if outcome.ok:
        if registration.late_cancellation:
            messages.warning(
                request, _("Запись отменена. Срок отмены прошёл — организатор предупреждён.")
            )
        else:
            messages.success(request, _("Запись отменена."))
    return redirect_to_next(request, "events:my")


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    registration = permissions.get_own_registration(user, pk)
    with domain_error_message(request, success=_("Место ваше. Спасибо!")):
        signup.registration_accept_offer(user=user, registration=registration)
    return redirect("events:my")


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("shift__event__organization", "hours_entry")
        .with_attendance_known()
    )
    now = timezone.now()
    # A shift under way is still «upcoming»: the person may be on the way to it.
    upcoming = registrations.filter(shift__ends_at__gt=now).order_by("shift__starts_at", "pk")
    past = registrations.filter(shift__ends_at__lte=now).order_by("-shift__starts_at", "-pk")
    page = paginate(request.GET, past, PAGE_SIZE)
    shown = list(upcoming)
    for registration in [*shown, *page]:
        registration.moves = permissions.registration_moves(user, registration, organiser=False)
    profile = VolunteerProfile.objects.filter(user=user).first()
    feed = absolute_url(reverse("events:feed", args=[profile.calendar_token])) if profile else None
    return render(request, "events/my.html", {"upcoming": shown, "page": page, "feed_url": feed})


@login_required
def registration_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of a registration, as SVG: it encodes only the short code."""
    user = request_user(request)
    registration = get_object_or_404(Registration.objects.select_related("shift__event"), pk=pk)
    if registration.user_id != user.pk and not permissions.can_manage(
        user, registration.shift.event
    ):
        raise PermissionDenied
    buffer = io.BytesIO()
    segno.make(registration.code, error="m").save(
        buffer, kind="svg", scale=6, border=2, light="white", xmldecl=False, title=registration.code
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# --- organisers ---------------------------------------------------------------------


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organizations = permissions.organizations_for_new_events(user)
    form = NewEventForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.event_create(
                actor=user,
                organization=form.cleaned_data["organization"],
                fields=form.service_fields(),
                areas=form.cleaned_data["areas"],
                cover=form.cleaned_data.get("cover"),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Черновик создан. Добавьте смены и опубликуйте."))
            return redirect("events:manage", pk=event.pk)
    return render(
        request,
        "events/form.html",
        {"form": form, "event": None, "has_organizations": organizations.exists()},
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = EventForm(request.POST or None, request.FILES or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.event_update(
                actor=user,
                event=event,
                fields=form.service_fields(),
                areas=form.cleaned_data["areas"],
                cover=form.cleaned_data.get("cover") or None,
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("events:manage", pk=event.pk)
    return render(
        request, "events/form.html", {"form": form, "event": event, "has_organizations": True}
    )


@login_required
def event_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's view: shifts, registrations by status, waiting list, approvals.
    Volunteers' accessibility needs (health data, each read audited) are not read on a GET:
    the page offers a «Показать» button (`event_accessibility_needs`, a POST)."""
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    return _manage_page(request, event, reveal=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_accessibility_needs(request: HttpRequest, pk: int) -> HttpResponse:
    """The manage page with the volunteers' accessibility needs, on a POST only (a GET asks
    first: dobry/core/confirm.py); each volunteer's needs shown are written to the audit log
    by `accessibility_needs_read`. 403 for those who may not manage the event."""
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Что нужно волонтёрам для участия"),
            explanation=_(
                "Это сведения о здоровье (152-ФЗ, ст. 10). Откройте их, только если они нужны "
                "для подготовки смены: просмотр записывается в журнал."
            ),
            button=_("Показать"),
            back_url=reverse("events:manage", args=[event.pk]),
        )
    return _manage_page(request, event, reveal=True)


def _manage_page(request: HttpRequest, event: Event, *, reveal: bool) -> HttpResponse:
    user = request_user(request)
    shifts = list(
        event.shifts.with_taken().prefetch_related(
            "qualifications",
            _registrations_prefetch(),
        )
    )
    registrations = [r for shift in shifts for r in shift.all_registrations]  # type: ignore[attr-defined]
    needs = accessibility_needs_read(user=user, registrations=registrations) if reveal else {}
    for registration in registrations:
        registration.accessibility_needs = needs.get(registration.pk, "")
        registration.moves = permissions.registration_moves(user, registration, organiser=True)
    context = {
        "event": event,
        "needs_on_request": not reveal
        and permissions.accessibility_needs_on_request(user, registrations),
        "shifts": shifts,
        "event_moves": {move.name: move for move in permissions.event_moves(user, event)},
        # why a draft cannot be published nor the event repeated (its organisation is not
        # verified now), or "" when it can
        "not_verified": "" if event.organization.is_verified else permissions.NOT_VERIFIED,
        "shift_form": ShiftForm(),
        "cancel_form": ReasonForm(),
        "repeat_form": RepeatForm(),
        "decline_form": ReasonForm(),
        "message_form": MessageForm(),
        "material_form": MaterialForm(),
        "materials": event.materials.all(),
    }
    return render(request, "events/manage.html", context)


def _registrations_prefetch() -> Prefetch:
    return Prefetch(
        "registrations",
        queryset=Registration.objects.select_related("user__volunteer_profile", "hours_entry")
        .with_attendance_known()
        .order_by("created_at"),
        to_attr="all_registrations",
    )


@login_required
def shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.shift_create(
                actor=user,
                event=event,
                fields=form.service_fields(),
                qualifications=form.cleaned_data["qualifications"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Смена добавлена."))
            return redirect("events:manage", pk=event.pk)
    return render(request, "events/shift_form.html", {"form": form, "event": event, "shift": None})


@login_required
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    shift = permissions.get_shift_for_user(user, pk, manage=True)
    event = shift.event
    form = ShiftForm(request.POST or None, instance=shift)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.shift_update(
                actor=user,
                shift=shift,
                fields=form.service_fields(),
                qualifications=form.cleaned_data["qualifications"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Смена сохранена."))
            return redirect("events:manage", pk=event.pk)
    return render(request, "events/shift_form.html", {"form": form, "event": event, "shift": shift})


@login_required
@require_POST
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    shift = permissions.get_shift_for_user(user, pk, manage=True)
    event = shift.event
    with domain_error_message(request, success=_("Смена удалена.")):
        event_services.shift_delete(actor=user, shift=shift)
    return redirect("events:manage", pk=event.pk)


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    with domain_error_message(
        request, success=_("Мероприятие опубликовано: на него уже можно записаться.")
    ):
        event_services.event_publish(actor=user, event=event)
    return redirect("events:manage", pk=event.pk)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Объясните участникам причину отмены."))
        return redirect("events:manage", pk=event.pk)
    with domain_error_message(
        request, success=_("Мероприятие отменено, участники получили уведомление.")
    ):
        event_services.event_cancel(actor=user, event=event, reason=form.cleaned_data["reason"])
    return redirect("events:manage", pk=event.pk)


@login_required
@require_POST
def event_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = RepeatForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Проверьте, как и сколько раз повторять."))
        return redirect("events:manage", pk=event.pk)
    with domain_error_message(request) as outcome:
        copies = event_services.event_repeat(actor=user, event=event, **form.cleaned_data)
    if outcome.ok:
        messages.success(
            request,
            _("Создано черновиков: %(n)s. Проверьте и опубликуйте их.") % {"n": len(copies)},
        )
    return redirect("events:manage", pk=event.pk)


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    registration = permissions.get_registration_for_organiser(user, pk)
    with domain_error_message(request):
        signup.registration_approve(actor=user, registration=registration)
    return redirect("events:manage", pk=registration.shift.event_id)


@login_required
@require_POST
def registration_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    registration = permissions.get_registration_for_organiser(user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Объясните волонтёру причину отказа."))
    else:
        with domain_error_message(request):
            signup.registration_decline(
                actor=user, registration=registration, reason=form.cleaned_data["reason"]
            )
    return redirect("events:manage", pk=registration.shift.event_id)


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    found = suggestions(request_user(request))
    return render(
        request,
        "events/for_me.html",
        {"recommendations": found.recommendations, "has_profile": found.has_profile},
    )


def event_places(request: HttpRequest, pk: int) -> HttpResponse:
    """Free places of each shift, as out-of-band fragments the event page refreshes."""
    event = permissions.get_event_for_user(request.user, pk)
    shifts = event.shifts.with_taken()
    return render(request, "events/_places_all.html", {"shifts": shifts})


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Проверьте название и вид материала."))
        return redirect("events:manage", pk=event.pk)
    try:
        with domain_error_message(request, success=_("Материал добавлен.")):
            event_services.event_material_add(actor=user, event=event, **form.cleaned_data)
    except ValidationError as error:  # the uploaded file's checks
        messages.error(request, " ".join(error.messages))
    return redirect("events:manage", pk=event.pk)


@login_required
def participation_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A certificate of participation in a seminar or webinar the person attended."""
    user = request_user(request)
    registration = permissions.get_own_registration(user, pk)
    event = registration.shift.event
    if not event.is_training or registration.checked_in_at is None:
        raise Http404
    name = " ".join(part for part in (user.last_name, user.first_name, user.middle_name) if part)
    paragraphs = [
        name,
        _("Участие в мероприятии %(title)s (%(kind)s), %(date)s.")
        % {
            "title": quoted(event.title),
            "kind": event.get_kind_display().lower(),
            "date": formats.date_format(local_time(registration.shift.starts_at), "j E Y"),
        },
    ]
    signature = f"{event.organization.name}, {settings.DOBRY_SITE_NAME}"
    title = _("Сертификат участника")
    if choice_param(request.GET, "format", ("html", "docx"), "html") == "docx":
        return docx_response(
            f"certificate-{registration.pk}.docx", docx_letter(title, paragraphs, signature)
        )
    return render(
        request,
        "volunteering/certificate.html",
        {"title": title, "paragraphs": paragraphs, "signature": signature},
    )
