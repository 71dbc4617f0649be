"""The organiser's check-in page: scan or type a code, mark leaving, bulk marks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.numbers import plain_number
from dobry.core.request_values import form_values, id_list_param
from dobry.events import permissions
from dobry.events.forms import AttendanceActionForm, CodeForm, MarksForm
from dobry.events.models import Registration
from dobry.events.services import attendance


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = CodeForm(request.POST or None)
    # the button pressed is required: a POST without it is a 400 naming `action`, never
    # taken for an arrival
    posted = request.method == "POST"
    action = form_values(AttendanceActionForm(request.POST))["action"] if posted else ""
    if posted and form.is_valid():
        with domain_error_message(request):
            registration = attendance.registration_by_code(
                event=event, code=form.cleaned_data["code"]
            )
            if action == "out":
                entry = attendance.registration_check_out(actor=user, registration=registration)
                if entry is None:
                    message = _(
                        "%(name)s: уход отмечен. Часов нет: отметки не пришлись на время смены."
                    ) % {"name": registration.user.display_name}
                else:
                    message = _("%(name)s: уход отмечен, %(hours)s ч ждут подтверждения.") % {
                        "name": registration.user.display_name,
                        "hours": plain_number(entry.hours),
                    }
                messages.success(request, message)
            else:
                attendance.registration_check_in(actor=user, registration=registration)
                messages.success(
                    request,
                    _("%(name)s: приход отмечен.") % {"name": registration.user.display_name},
                )
        return redirect("events:checkin", pk=event.pk)
    shifts = list(event.shifts.prefetch_related(_confirmed_prefetch()))
    for shift in shifts:
        confirmed: list[Registration] = shift.confirmed  # type: ignore[attr-defined]
        shift.arrived = len([r for r in confirmed if r.checked_in_at])  # type: ignore[attr-defined]
        shift.left = len([r for r in confirmed if r.checked_out_at])  # type: ignore[attr-defined]
    return render(request, "events/checkin.html", {"event": event, "form": form, "shifts": shifts})


def _confirmed_prefetch() -> Prefetch:
    return Prefetch(
        "registrations",
        queryset=Registration.objects.filter(status=Registration.Status.CONFIRMED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        to_attr="confirmed",
    )


@login_required
@require_POST
def bulk_mark(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    shift = permissions.get_shift_for_user(user, pk, manage=True)
    event = shift.event
    ids = id_list_param(request.POST, "registration")
    chosen = list(shift.registrations.filter(pk__in=ids))
    if not chosen:
        messages.error(request, _("Отметьте в списке, кто был на смене."))
        return redirect("events:checkin", pk=event.pk)
    with domain_error_message(request) as outcome:
        entries = attendance.attendance_bulk_mark(actor=user, shift=shift, registrations=chosen)
    if outcome.ok:
        messages.success(request, _("Отмечено присутствующих: %(n)s.") % {"n": len(entries)})
    return redirect("events:checkin", pk=event.pk)


@login_required
def correct_marks(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser corrects one registration's arrival and leaving marks (audited); the
    pending hours follow the corrected time (`attendance.registration_correct_marks`)."""
    user = request_user(request)
    registration = permissions.get_registration_for_organiser(user, pk)
    initial = {
        "checked_in_at": registration.checked_in_at or registration.shift.starts_at,
        "checked_out_at": registration.checked_out_at,
    }
    form = MarksForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attendance.registration_correct_marks(
                actor=user, registration=registration, **form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s: отметки исправлены.") % {"name": registration.user.display_name},
            )
            return redirect("events:checkin", pk=registration.shift.event_id)
    context = {"registration": registration, "event": registration.shift.event, "form": form}
    return render(request, "events/correct_marks.html", context)
