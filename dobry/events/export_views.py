"""Downloads: calendars (.ics), the personal shift feed, the attendance sheet (XLSX), and
the organiser's message to all participants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.core.confirm import confirm_page
from dobry.core.dates import status_text
from dobry.core.documents import xlsx_response
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.events import calendar, permissions, selectors
from dobry.events.forms import MessageForm
from dobry.events.models import Registration
from dobry.events.services.events import event_message_participants
from dobry.organizations.areas import Area
from dobry.organizations.permissions import get_organization_for_user
from dobry.volunteering.models import VolunteerProfile


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for_user(request.user, pk)
    body = calendar.shift_events(event.shifts.select_related("event"), event.title)
    return calendar.ics_response(body, f"event-{event.pk}.ics")


def city_calendar(request: HttpRequest) -> HttpResponse:
    """Every public event of the city, for calendar apps to subscribe to (no login)."""
    shifts = selectors.calendar_shifts()[: selectors.CALENDAR_SHIFTS]
    body = calendar.shift_events(shifts, _("Добрые дела города"))
    return calendar.ics_response(body, "dobry-events.ics")


def organization_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation's public events (404 for one hidden from the catalogue)."""
    organization = get_organization_for_user(request.user, pk)
    shifts = selectors.calendar_shifts(organization=organization)[: selectors.CALENDAR_SHIFTS]
    body = calendar.shift_events(shifts, str(organization))
    return calendar.ics_response(body, f"dobry-organization-{organization.pk}.ics")


def area_calendar(request: HttpRequest, area: str) -> HttpResponse:
    """The public events of one area of activity (404 for an area that does not exist)."""
    if area not in Area.values:
        raise Http404
    shifts = selectors.calendar_shifts(area=area)[: selectors.CALENDAR_SHIFTS]
    body = calendar.shift_events(shifts, str(Area(area).label))
    return calendar.ics_response(body, f"dobry-{area}.ics")


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A secret-URL feed of one's shifts, for phone calendars (no login): the confirmed and
    pending ones, and those cancelled that have not ended yet, marked cancelled."""
    profile = VolunteerProfile.objects.filter(calendar_token=token).select_related("user").first()
    if profile is None or not profile.user.is_active:
        raise Http404
    S = Registration.Status
    registrations = (
        Registration.objects.filter(user=profile.user)
        .filter(
            Q(status__in=(S.CONFIRMED, S.PENDING_APPROVAL))
            | Q(status=S.CANCELLED, shift__ends_at__gt=timezone.now())
        )
        .select_related("shift__event")
        .order_by("shift__starts_at", "pk")
    )
    extra = calendar.feed_items(profile.user)
    body = calendar.registration_events(registrations, _("Мои смены"), extra)
    return calendar.ics_response(body, "dobry-shifts.ics")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Participants' names, emails and attendance: on POST only (a GET asks first)."""
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Список участников (XLSX)"),
            explanation=_(
                "В файле имена, email и отметки участников: храните его только пока он нужен "
                "и не пересылайте посторонним."
            ),
            button=_("Скачать список участников"),
            back_url=reverse("events:manage", args=[event.pk]),
        )
    registrations = (
        Registration.objects.filter(shift__event=event)
        .select_related("user", "shift", "hours_entry")
        .with_attendance_known()
        .order_by("shift__starts_at", "user__last_name")
    )
    rows = (_attendance_row(r) for r in registrations)
    return xlsx_response(f"attendance-{event.pk}.xlsx", _("Участники"), _attendance_header(), rows)


def _attendance_header() -> list[str]:
    return [
        _("Смена"),
        _("Фамилия"),
        _("Имя"),
        "Email",
        _("Мест"),
        _("Группа"),
        _("Статус"),
        _("Приход"),
        _("Уход"),
        _("Часы"),
        _("Статус часов"),
    ]


def _attendance_row(r: Registration) -> list[object]:
    """One participant's line of the sheet; hours only once they were entered."""
    hours_entry = getattr(r, "hours_entry", None)
    return [
        r.shift.title,
        r.user.last_name,
        r.user.first_name,
        r.user.email,
        r.seats,
        r.group_name,
        status_text(r),
        r.checked_in_at,
        r.checked_out_at,
        hours_entry.hours if hours_entry is not None else None,
        hours_entry.get_status_display() if hours_entry is not None else "",
    ]


@login_required
@require_POST
def message_participants(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    form = MessageForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Напишите тему и текст сообщения."))
        return redirect("events:manage", pk=event.pk)
    with domain_error_message(request) as outcome:
        count = event_message_participants(actor=user, event=event, **form.cleaned_data)
    if outcome.ok:
        messages.success(request, _("Сообщение отправлено участникам: %(n)s.") % {"n": count})
    return redirect("events:manage", pk=event.pk)
